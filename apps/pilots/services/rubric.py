"""Writes to a round's rubric, refused once the rubric is frozen (scoring has opened)."""

from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils.translation import gettext as _

from apps.core.services import audit_record

from ..errors import PilotError, full_clean_or_refuse
from ..models import (
    DISPLAY_ORDER,
    Dimension,
    EvaluationRound,
    Evidence,
    RubricDimension,
    RubricItem,
)
from ..rubric import load_template
from .common import lock_round, require_rubric_editable


def rubric_copy_template(*, round: EvaluationRound) -> None:
    """Give a new round the template's four dimensions and their items."""
    template = load_template()
    for position, spec in enumerate(template["dimensions"]):
        dimension = RubricDimension.objects.create(
            round=round, code=spec["code"], weight=Decimal(spec["weight"]), position=position
        )
        RubricItem.objects.bulk_create(
            RubricItem(
                round=round,
                dimension=dimension,
                title=item["title"],
                guidance=item.get("guidance", ""),
                max_score=Decimal(item["max_score"]),
                position=index,
            )
            for index, item in enumerate(spec["items"])
        )


def _decimal(field: str, value) -> Decimal:
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise PilotError.for_field(field, _("Enter a number.")) from None
    if not number.is_finite():
        raise PilotError.for_field(field, _("Enter a number."))
    return number


@transaction.atomic
def rubric_dimension_set_weight(*, dimension: RubricDimension, weight, actor) -> RubricDimension:
    round = lock_round(dimension.round)
    require_rubric_editable(round)
    dimension = RubricDimension.objects.get(pk=dimension.pk)
    before = dimension.weight
    dimension.weight = _decimal("weight", weight)
    full_clean_or_refuse(dimension)
    dimension.save(update_fields=["weight"])
    audit_record(
        actor=actor,
        action="pilot_rubric.weight",
        target=dimension,
        from_state=str(before),
        to_state=str(dimension.weight),
    )
    return dimension


@transaction.atomic
def rubric_item_save(
    *,
    round: EvaluationRound,
    dimension: RubricDimension,
    title: str,
    max_score,
    actor,
    guidance: str = "",
    position: int = 0,
    item: RubricItem | None = None,
) -> RubricItem:
    """Add an item to the round's rubric, or change one; refused once the rubric is frozen."""
    round = lock_round(round)
    require_rubric_editable(round)
    if dimension.round_id != round.pk or (item is not None and item.round_id != round.pk):
        raise PilotError.for_field("dimension", _("Choose a dimension of this round's rubric."))
    item = RubricItem.objects.get(pk=item.pk) if item is not None else RubricItem(round=round)
    created = item.pk is None
    item.dimension = dimension
    item.title = (title or "").strip()
    item.guidance = guidance or ""
    item.max_score = _decimal("max_score", max_score)
    item.position = position
    full_clean_or_refuse(item)
    item.save()
    audit_record(
        actor=actor,
        action="pilot_rubric.item_add" if created else "pilot_rubric.item_change",
        target=item,
        changes={"dimension": dimension.code, "title": item.title, "max": str(item.max_score)},
    )
    return item


@transaction.atomic
def rubric_item_delete(*, item: RubricItem, actor) -> None:
    round = lock_round(item.round)
    require_rubric_editable(round)
    if Evidence.objects.filter(item=item).exists():
        raise PilotError.for_field(
            "items",
            _("Units have attached evidence to “%(title)s”; it cannot be removed.")
            % {"title": item.title},
        )
    audit_record(actor=actor, action="pilot_rubric.item_remove", target=item, from_state="present")
    item.delete()


def _check_replacement(round: EvaluationRound, dimensions: list[dict]) -> None:
    codes = [spec.get("code") for spec in dimensions]
    if sorted(codes, key=str) != sorted(DISPLAY_ORDER):
        raise PilotError.for_field(
            "dimensions",
            _("Give each of the four dimensions once: %(names)s.")
            % {"names": ", ".join(str(Dimension(c).label) for c in DISPLAY_ORDER)},
        )
    known = set(RubricItem.objects.filter(round=round).values_list("pk", flat=True))
    for spec in dimensions:
        for item in spec.get("items", []):
            if item.get("id") is not None and item["id"] not in known:
                raise PilotError.for_field(
                    "dimensions", _("Item %(id)s is not in this round's rubric.") % item
                )


@transaction.atomic
def rubric_replace(*, round: EvaluationRound, dimensions: list[dict], actor) -> EvaluationRound:
    """Set the whole rubric: the four dimensions' weights and their items (kept by id, added
    without one, removed when left out). Weights need to add up to 100 only when frozen."""
    round = lock_round(round)
    require_rubric_editable(round)
    _check_replacement(round, dimensions)
    by_code = {d.code: d for d in RubricDimension.objects.filter(round=round)}
    items = {item.pk: item for item in RubricItem.objects.filter(round=round)}
    kept = set()
    for position, spec in enumerate(dimensions):
        dimension = by_code[spec["code"]]
        dimension.weight, dimension.position = _decimal("weight", spec["weight"]), position
        full_clean_or_refuse(dimension)
        dimension.save(update_fields=["weight", "position"])
        for index, data in enumerate(spec.get("items", [])):
            item = items.get(data.get("id")) or RubricItem(round=round)
            item.dimension, item.position = dimension, index
            item.title = (data.get("title") or "").strip()
            item.guidance = data.get("guidance") or ""
            item.max_score = _decimal("max_score", data.get("max_score"))
            full_clean_or_refuse(item)
            item.save()
            kept.add(item.pk)
    removed = [pk for pk in items if pk not in kept]
    with_evidence = (
        Evidence.objects.filter(item_id__in=removed).select_related("item").first()
        if removed
        else None
    )
    if with_evidence is not None:
        raise PilotError.for_field(
            "dimensions",
            _("Units have attached evidence to “%(title)s”; it cannot be removed.")
            % {"title": with_evidence.item.title},
        )
    RubricItem.objects.filter(pk__in=removed).delete()
    audit_record(
        actor=actor,
        action="pilot_rubric.replace",
        target=round,
        changes={spec["code"]: str(spec["weight"]) for spec in dimensions},
    )
    return round
