"""Seed the working-day calendar from the chinese-calendar package (2004–2026)."""

from django.db import migrations

NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "Mid-autumn Festival": "中秋节",
    "National Day": "国庆节",
    "Anti-Fascist 70th Day": "抗战胜利70周年纪念日",
}


def seed(apps, schema_editor):
    import chinese_calendar

    CalendarYear = apps.get_model("core", "CalendarYear")
    CalendarDay = apps.get_model("core", "CalendarDay")
    rows = [CalendarDay(date=d, kind="holiday", name=NAMES.get(n, n)) for d, n in chinese_calendar.holidays.items()] + [
        CalendarDay(date=d, kind="workday", name=NAMES.get(n, n)) for d, n in chinese_calendar.workdays.items()
    ]
    CalendarDay.objects.bulk_create(rows, ignore_conflicts=True)
    years = sorted({d.year for d in chinese_calendar.holidays})
    CalendarYear.objects.bulk_create(
        [CalendarYear(year=y, source="chinese-calendar") for y in years], ignore_conflicts=True
    )


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
