"""Every cadre recorded before the work history existed gets one open holding: the current
department and post since the recorded 任现职时间 (else the joining date)."""

from django.db import migrations


def forwards(apps, schema_editor):
    Cadre = apps.get_model("cadres", "Cadre")
    PostHolding = apps.get_model("cadres", "PostHolding")
    rows = []
    for cadre in Cadre.objects.filter(holdings__isnull=True).iterator():
        start = cadre.in_post_since or cadre.joined_bureau_on
        if start is not None:
            rows.append(
                PostHolding(
                    cadre_id=cadre.pk,
                    department_id=cadre.department_id,
                    post_id=cadre.post_id,
                    rank=cadre.rank,
                    start=start,
                    how="appointed",
                )
            )
    PostHolding.objects.bulk_create(rows, batch_size=500)


class Migration(migrations.Migration):
    dependencies = [("cadres", "0004_records_rotation_talks")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
