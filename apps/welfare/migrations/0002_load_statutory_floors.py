"""Seed the statutory floors with Hebei's values; union staff edit them when the law changes.

The values are written out here rather than imported: a migration must not change when the
module constants do.
"""

from django.db import migrations

SOURCE = "河北省人口与计划生育条例（2021年修正）；女职工劳动保护特别规定"
FLOORS = {
    "maternity_leave_days": 158,
    "spouse_care_leave_days": 15,
    "nursing_minutes_per_day": 60,
    "nursing_until_months": 12,
    "parental_leave_days": 10,
}


def load(apps, schema_editor):
    StatutoryFloor = apps.get_model("welfare", "StatutoryFloor")
    for provision, minimum in FLOORS.items():
        StatutoryFloor.objects.get_or_create(
            provision=provision, defaults={"minimum": minimum, "source": SOURCE}
        )


def unload(apps, schema_editor):
    apps.get_model("welfare", "StatutoryFloor").objects.filter(provision__in=FLOORS).delete()


class Migration(migrations.Migration):
    dependencies = [("welfare", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
