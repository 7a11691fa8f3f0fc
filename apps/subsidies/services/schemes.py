"""Writes for subsidy schemes: the rules the payout runs apply, checked so that no programme is
covered twice by schemes of one kind (it would be paid twice) and no unit grant can exceed the
city's 70,000 yuan per unit."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from apps.core.services import audit_record
from apps.employers.models import Programme

from ..models import SubsidyScheme
from ..models.schemes import UNIT_GRANT_CAP
from .refusals import SubsidyCode, SubsidyError, clean_or_refuse, conflict, refuse_if

Kind = SubsidyScheme.Kind
SCHEME_FIELDS = frozenset(
    {
        "name",
        "funder",
        "prorate_by_days",
        "hold_without_attendance",
        "zero_attendance_pays_nothing",
        "grant_base_amount",
        "grant_per_child_amount",
        "grant_cap",
        "valid_from",
        "valid_until",
        "is_active",
    }
)
GRANT_FIELDS = ("grant_base_amount", "grant_per_child_amount")


def _grant_errors(scheme: SubsidyScheme) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if scheme.grant_cap is not None and scheme.grant_cap > UNIT_GRANT_CAP:
        errors["grant_cap"] = [
            _("A unit grant is at most %(cap)s yuan per unit.") % {"cap": f"{UNIT_GRANT_CAP:,.0f}"}
        ]
    for name in GRANT_FIELDS:
        value = getattr(scheme, name)
        if value is not None and value < 0:
            errors[name] = [_("Enter an amount of 0 or more.")]
        elif scheme.kind != Kind.UNIT_GRANT and value:
            errors[name] = [_("Only a unit grant has grant amounts; leave this at 0.")]
    no_amount = not (scheme.grant_base_amount or scheme.grant_per_child_amount)
    if scheme.kind == Kind.UNIT_GRANT and not errors and no_amount:
        errors["grant_base_amount"] = [
            _("Give a base amount, an amount per enrolled child, or both.")
        ]
    return errors


def _funder_errors(scheme: SubsidyScheme, programmes: list[Programme]) -> dict[str, list[str]]:
    if scheme.kind != Kind.MONTHLY_SUBSIDY:
        return {}
    # The programme's price rule says who funds its subsidy; a scheme paying it from another
    # purse would draw on the wrong budget.
    wrong = [p.name for p in programmes if p.subsidy_funder != scheme.funder]
    if not wrong:
        return {}
    message = _("The subsidy of %(names)s is funded by another funder than %(funder)s.") % {
        "names": "、".join(wrong),
        "funder": scheme.get_funder_display(),
    }
    return {"programmes": [message]}


def _overlapping(scheme: SubsidyScheme, programmes: list[Programme]) -> list[SubsidyScheme]:
    if not scheme.is_active or not programmes:
        return []
    overlaps = Q(valid_until__isnull=True) | Q(valid_until__gte=scheme.valid_from)
    if scheme.valid_until is not None:
        overlaps &= Q(valid_from__lte=scheme.valid_until)
    others = SubsidyScheme.objects.filter(
        overlaps, kind=scheme.kind, is_active=True, programmes__in=programmes
    )
    if scheme.pk:
        others = others.exclude(pk=scheme.pk)
    return list(others.distinct().order_by("name"))


def scheme_check(scheme: SubsidyScheme, *, programmes: list[Programme]) -> None:
    """Refuse a scheme whose fields, grant amounts, funder or programmes do not fit."""
    errors = _grant_errors(scheme)
    if scheme.valid_from and scheme.valid_until and scheme.valid_until < scheme.valid_from:
        errors["valid_until"] = [_("The end date cannot be before the start date.")]
    errors.update(_funder_errors(scheme, programmes))
    refuse_if(errors)
    clean_or_refuse(scheme, exclude=["programmes"])
    others = _overlapping(scheme, programmes)
    if others:
        message = _(
            "Scheme %(name)s of the same kind already covers some of these programmes in these "
            "dates; each month would be paid twice."
        ) % {"name": others[0].name}
        raise SubsidyError(
            message, code=SubsidyCode.OVERLAPPING_SCHEME, fields={"programmes": [message]}
        )


def _lock_programmes(programmes) -> list[Programme]:
    # Locked in primary-key order: two schemes saved at once for the same programme are checked
    # one after the other, so they cannot both pass the overlap check.
    ids = sorted({programme.pk for programme in programmes})
    return list(Programme.objects.select_for_update().filter(pk__in=ids).order_by("pk"))


def _plain(value):
    if isinstance(value, (Decimal, date)):
        return str(value)
    return value


@transaction.atomic
def scheme_create(*, actor, kind: str, programmes=(), **fields) -> SubsidyScheme:
    """Create a scheme covering `programmes`; audited."""
    unknown = set(fields) - SCHEME_FIELDS
    if unknown:
        raise TypeError(f"unknown scheme fields: {sorted(unknown)}")
    locked = _lock_programmes(programmes)
    scheme = SubsidyScheme(kind=kind, **fields)
    scheme_check(scheme, programmes=locked)
    scheme.save()
    scheme.programmes.set(locked)
    audit_record(
        actor=actor,
        action="scheme.create",
        target=scheme,
        to_state="active" if scheme.is_active else "inactive",
        changes={"programmes": [p.pk for p in locked]},
    )
    return scheme


@transaction.atomic
def scheme_update(*, scheme: SubsidyScheme, actor, programmes=None, **fields) -> SubsidyScheme:
    """Change a scheme's rules, dates or programmes; its kind is fixed (lines already computed
    under it must keep meaning what they meant). Audited with each change's old and new value."""
    if fields.pop("kind", scheme.kind) != scheme.kind:
        raise conflict(_("A scheme's kind cannot be changed; create a new scheme."), field="kind")
    unknown = set(fields) - SCHEME_FIELDS
    if unknown:
        raise TypeError(f"unknown scheme fields: {sorted(unknown)}")
    locked = SubsidyScheme.objects.select_for_update().get(pk=scheme.pk)
    before = list(locked.programmes.order_by("pk"))
    after = _lock_programmes(before if programmes is None else programmes)
    changes = {
        name: [_plain(getattr(locked, name)), _plain(value)]
        for name, value in fields.items()
        if getattr(locked, name) != value
    }
    if [p.pk for p in after] != [p.pk for p in before]:
        changes["programmes"] = [[p.pk for p in before], [p.pk for p in after]]
    for name, value in fields.items():
        setattr(locked, name, value)
    scheme_check(locked, programmes=after)
    if not changes:
        return locked
    locked.save()
    locked.programmes.set(after)
    audit_record(actor=actor, action="scheme.update", target=locked, changes=changes)
    return locked
