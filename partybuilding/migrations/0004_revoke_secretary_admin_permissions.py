"""The Django admin is for administrators now: the branch secretary's role loses the admin
permissions on Party groups, memberships and exemptions that an earlier post_migrate hook
gave it (secretaries keep their branch on /partybuilding/branches/<id>/)."""

from django.db import migrations

from cadres.roles import SECRETARY

MODELS = ("partygroup", "membership", "exemption")


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.filter(name=SECRETARY).first()
    if group is None:
        return
    codenames = [f"{action}_{model}" for model in MODELS for action in ("view", "add", "change", "delete")]
    group.permissions.remove(
        *Permission.objects.filter(content_type__app_label="partybuilding", codename__in=codenames)
    )


class Migration(migrations.Migration):
    dependencies = [
        ("partybuilding", "0003_organisation_history"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(revoke, migrations.RunPython.noop)]
