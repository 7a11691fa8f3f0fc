"""The rubric template in fixtures/ and the checks a rubric must pass before it is frozen."""

import json
from decimal import Decimal
from functools import lru_cache

from django.conf import settings
from django.utils.translation import gettext as _

from .models import DISPLAY_ORDER, Dimension

TEMPLATE_PATH = settings.BASE_DIR / "fixtures" / "pilot_rubric.json"
WEIGHT_TOTAL = Decimal(100)


@lru_cache(maxsize=1)
def load_template() -> dict:
    """{"dimensions": [{"code", "weight", "items": [{"title", "max_score", "guidance"}]}]}."""
    with TEMPLATE_PATH.open(encoding="utf-8") as handle:
        template = json.load(handle)
    codes = [dimension["code"] for dimension in template["dimensions"]]
    if sorted(codes) != sorted(DISPLAY_ORDER):
        raise ValueError(f"{TEMPLATE_PATH}: the four dimensions are needed, found {codes}")
    return template


def rubric_problems(dimensions: list[dict]) -> dict[str, list[str]]:
    """What stops a rubric from being frozen: `dimensions` as [{"code", "weight", "items"}]."""
    problems: dict[str, list[str]] = {}
    codes = [d["code"] for d in dimensions]
    if sorted(codes) != sorted(DISPLAY_ORDER):
        problems["dimensions"] = [
            _("The rubric needs exactly the four dimensions: %(names)s.")
            % {"names": ", ".join(str(Dimension(code).label) for code in DISPLAY_ORDER)}
        ]
    total = sum((Decimal(d["weight"]) for d in dimensions), Decimal(0))
    if total != WEIGHT_TOTAL:
        problems["weights"] = [
            _("The dimension weights add up to %(total)s; they must add up to 100.")
            % {"total": format(total.normalize(), "f")}
        ]
    empty = [str(Dimension(d["code"]).label) for d in dimensions if not d["items"]]
    if empty:
        problems["items"] = [
            _("Each dimension needs at least one item; none in: %(names)s.")
            % {"names": ", ".join(empty)}
        ]
    return problems
