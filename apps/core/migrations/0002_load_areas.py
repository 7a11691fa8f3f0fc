import json
from pathlib import Path

from django.db import migrations

FIXTURE = Path(__file__).resolve().parents[3] / "fixtures" / "areas.json"


def load_areas(apps, schema_editor):
    Area = apps.get_model("core", "Area")
    for row in json.loads(FIXTURE.read_text(encoding="utf-8")):
        Area.objects.update_or_create(code=row["code"], defaults=row)


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [migrations.RunPython(load_areas, migrations.RunPython.noop)]
