import json
from pathlib import Path

from apps.core.models import Area

AREAS_FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "areas.json"


def first_area() -> Area:
    """The city's first area; reloaded from the fixture when a transactional test's flush has
    emptied the table the migration filled."""
    area = Area.objects.order_by("sort_order").first()
    if area is None:
        for row in json.loads(AREAS_FIXTURE.read_text(encoding="utf-8")):
            Area.objects.update_or_create(code=row["code"], defaults=row)
        area = Area.objects.order_by("sort_order").first()
    return area
