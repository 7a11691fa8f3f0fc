"""Public holidays 2024–2026 from the State Council's yearly notices (国务院办公厅关于部分节假日安排的通知).

Only the days off are listed; weekend make-up working days (调休上班) are not counted as working
days for publicity, which can only lengthen a period, never shorten it.
"""

from datetime import date, timedelta

from django.db import migrations

# (first day, last day, name)
HOLIDAYS = [
    (date(2024, 1, 1), date(2024, 1, 1), "元旦"),
    (date(2024, 2, 10), date(2024, 2, 17), "春节"),
    (date(2024, 4, 4), date(2024, 4, 6), "清明节"),
    (date(2024, 5, 1), date(2024, 5, 5), "劳动节"),
    (date(2024, 6, 10), date(2024, 6, 10), "端午节"),
    (date(2024, 9, 15), date(2024, 9, 17), "中秋节"),
    (date(2024, 10, 1), date(2024, 10, 7), "国庆节"),
    (date(2025, 1, 1), date(2025, 1, 1), "元旦"),
    (date(2025, 1, 28), date(2025, 2, 4), "春节"),
    (date(2025, 4, 4), date(2025, 4, 6), "清明节"),
    (date(2025, 5, 1), date(2025, 5, 5), "劳动节"),
    (date(2025, 5, 31), date(2025, 6, 2), "端午节"),
    (date(2025, 10, 1), date(2025, 10, 8), "国庆节、中秋节"),
    (date(2026, 1, 1), date(2026, 1, 3), "元旦"),
    (date(2026, 2, 15), date(2026, 2, 23), "春节"),
    (date(2026, 4, 4), date(2026, 4, 6), "清明节"),
    (date(2026, 5, 1), date(2026, 5, 5), "劳动节"),
    (date(2026, 6, 19), date(2026, 6, 21), "端午节"),
    (date(2026, 9, 25), date(2026, 9, 27), "中秋节"),
    (date(2026, 10, 1), date(2026, 10, 7), "国庆节"),
]


def _days():
    for first, last, name in HOLIDAYS:
        day = first
        while day <= last:
            yield day, name
            day += timedelta(days=1)


def load(apps, schema_editor):
    PublicHoliday = apps.get_model("pilots", "PublicHoliday")
    for day, name in _days():
        PublicHoliday.objects.get_or_create(date=day, defaults={"name": name})


def unload(apps, schema_editor):
    PublicHoliday = apps.get_model("pilots", "PublicHoliday")
    PublicHoliday.objects.filter(date__in=[day for day, _ in _days()]).delete()


class Migration(migrations.Migration):
    dependencies = [("pilots", "0002_frozen_guards")]

    operations = [migrations.RunPython(load, unload)]
