"""The mother-room inspection checklist: a template in fixtures/, read once per process."""

import json
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.utils.translation import get_language

CHECKLIST_PATH = Path(settings.BASE_DIR) / "fixtures" / "mother_room_checklist.json"
AREA_ITEM = "area"


@dataclass(frozen=True)
class ChecklistItem:
    code: str
    label_en: str
    label_zh: str
    critical: bool
    measured: bool = False

    @property
    def label(self) -> str:
        return self.label_zh if (get_language() or "").startswith("zh") else self.label_en


@dataclass(frozen=True)
class Checklist:
    version: str
    min_area_m2: Decimal
    lower_after_failures: int
    items: tuple[ChecklistItem, ...]

    @property
    def ticked_items(self) -> tuple[ChecklistItem, ...]:
        """Items the inspector ticks; the area item is decided by the measured area."""
        return tuple(item for item in self.items if not item.measured)

    def failed_items(self, *, measured_area_m2: Decimal, results: dict[str, bool]) -> list[str]:
        failed = [] if measured_area_m2 >= self.min_area_m2 else [AREA_ITEM]
        return failed + [item.code for item in self.ticked_items if not results[item.code]]

    def has_critical_failure(self, failed: list[str]) -> bool:
        critical = {item.code for item in self.items if item.critical}
        return bool(critical.intersection(failed))


@lru_cache(maxsize=1)
def load_checklist() -> Checklist:
    data = json.loads(CHECKLIST_PATH.read_text(encoding="utf-8"))
    return Checklist(
        version=data["version"],
        min_area_m2=Decimal(data["min_area_m2"]),
        lower_after_failures=int(data["lower_after_failures"]),
        items=tuple(
            ChecklistItem(
                code=item["code"],
                label_en=item["label"],
                label_zh=item["label_zh"],
                critical=item["critical"],
                measured=item.get("measured", False),
            )
            for item in data["items"]
        ),
    )
