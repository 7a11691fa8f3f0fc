"""Writes for programmes and place agreements: registration, the approval state table, and the
places an employer (or the federation) buys, checked against the centre's capacity under locks."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from enum import StrEnum

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.accounts.models import User
from apps.centres.models import AgeClass, Centre, CentreClass, RegistrationStatus
from apps.core.redaction import redact
from apps.core.services import audit_record, notice_send
from apps.members.models import Union

from ..models import Employer, PlaceAgreement, Programme
from ..pricing import month_start
from .registry import REASON_MAX_LENGTH, EmployerError

Status = Programme.Status
Model = Programme.DeliveryModel

# action: (the states it may start from, the state it leads to)
PROGRAMME_MOVES = {
    "submit": ((Status.DRAFT, Status.REFUSED), Status.SUBMITTED),
    "approve": ((Status.SUBMITTED,), Status.APPROVED),
    "refuse": ((Status.SUBMITTED,), Status.REFUSED),
    "suspend": ((Status.APPROVED,), Status.SUSPENDED),
    "end": ((Status.APPROVED, Status.SUSPENDED), Status.ENDED),
}
# A refused programme can be corrected and submitted again; anything later is fixed.
EDITABLE_STATES = (Status.DRAFT, Status.REFUSED)
PROGRAMME_FIELDS = frozenset(
    {
        "name",
        "delivery_model",
        "lead_employer",
        "federation",
        "employers",
        "centres",
        "parent_share_percent",
        "subsidy_amount",
        "subsidy_basis",
        "subsidy_funder",
        "priority_groups",
        "offer_days",
        "start_date",
        "end_date",
        "description",
    }
)
MAX_OFFER_DAYS = 30
FEDERATION_KINDS = (Union.Kind.INDUSTRY_FEDERATION, Union.Kind.CITY_FEDERATION)


class ProgrammeErrorCode(StrEnum):
    INVALID = "invalid"
    INVALID_TRANSITION = "invalid_transition"
    NOT_EDITABLE = "not_editable"
    NO_CAPACITY = "no_capacity"


class ProgrammeError(EmployerError):
    """A refusal about a programme or a place agreement."""


def _raise_if(errors: dict[str, list[str]]) -> None:
    if errors:
        raise ProgrammeError(_("Some fields are not valid."), fields=errors)


def _clean(instance, *, exclude: list[str]) -> None:
    try:
        instance.full_clean(exclude=exclude)
    except ValidationError as error:
        _raise_if({name: list(messages) for name, messages in error.message_dict.items()})


def _required_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ProgrammeError.for_field("reason", _("Give a reason."))
    if len(reason) > REASON_MAX_LENGTH:
        raise ProgrammeError.for_field(
            "reason",
            _("Keep the reason to %(count)d characters.") % {"count": REASON_MAX_LENGTH},
        )
    return reason


def _lazy_format(message, **params):
    # Rendered when notice_send switches to the recipient's language, not the actor's.
    return lazy(lambda: str(message) % params, str)()


def _conflict(message, *, code: str = ProgrammeErrorCode.INVALID_TRANSITION) -> ProgrammeError:
    # 409: the request is well formed but conflicts with the record's current state.
    return ProgrammeError(message, code=code, fields={"status": [message]}, status_code=409)


# Programmes: checks


def _check_organiser(programme: Programme, employers: list[Employer], errors: dict) -> None:
    if programme.delivery_model == Model.FEDERATION:
        if programme.federation is None:
            errors["federation"] = [_("A federation programme needs its union federation.")]
        elif (
            programme.federation.kind not in FEDERATION_KINDS or not programme.federation.is_active
        ):
            errors["federation"] = [_("Choose an active union federation.")]
        if programme.lead_employer is not None:
            errors["lead_employer"] = [_("A federation programme is not led by an employer.")]
        if employers:
            errors["employers"] = [
                _("A federation programme is open to all union members: list no employers.")
            ]
        return
    if programme.federation is not None:
        errors["federation"] = [_("Only a federation programme has a union federation.")]
    lead = programme.lead_employer
    if lead is None:
        errors["lead_employer"] = [_("Choose the employer that runs the programme.")]
    elif lead.status != RegistrationStatus.APPROVED:
        errors["lead_employer"] = [_("%(name)s is not an approved employer.") % {"name": lead.name}]


def _check_employers(programme: Programme, employers: list[Employer], errors: dict) -> None:
    unapproved = [e.name for e in employers if e.status != RegistrationStatus.APPROVED]
    if unapproved:
        errors["employers"] = [
            _("Not approved employers: %(names)s.") % {"names": "、".join(unapproved)}
        ]
        return
    if programme.delivery_model != Model.CO_BUILT:
        return
    tenants = [e for e in employers if e.pk != programme.lead_employer_id]
    if not tenants:
        errors["employers"] = [_("List the tenant businesses whose workers may apply.")]
    elif any(e.kind != Employer.Kind.TENANT_BUSINESS for e in tenants):
        errors["employers"] = [
            _("Besides the lead employer, a co-built programme lists tenant businesses only.")
        ]


def _check_centres(programme: Programme, centres: list[Centre], errors: dict) -> None:
    unapproved = [c.name for c in centres if c.status != RegistrationStatus.APPROVED]
    if unapproved:
        errors["centres"] = [
            _("Not approved centres: %(names)s.") % {"names": "、".join(unapproved)}
        ]
    elif programme.delivery_model == Model.FEDERATION:
        closed = [c.name for c in centres if not c.offers_welfare_childcare]
        if closed:
            errors["centres"] = [
                _("These centres do not offer welfare childcare: %(names)s.")
                % {"names": "、".join(closed)}
            ]


def _check_terms(programme: Programme, errors: dict) -> None:
    share = programme.parent_share_percent
    if share is not None and not Decimal(0) <= Decimal(share) <= Decimal(100):
        errors["parent_share_percent"] = [_("Enter a share between 0 and 100 %.")]
    if programme.subsidy_amount is not None and Decimal(programme.subsidy_amount) < 0:
        errors["subsidy_amount"] = [_("The subsidy must be 0 yuan or more.")]
    if not 1 <= (programme.offer_days or 0) <= MAX_OFFER_DAYS:
        errors["offer_days"] = [
            _("Give between 1 and %(max)d days to answer an offer.") % {"max": MAX_OFFER_DAYS}
        ]
    groups = programme.priority_groups
    known = set(Programme.PriorityGroup.values)
    if not isinstance(groups, list) or any(g not in known for g in groups):
        errors["priority_groups"] = [_("Choose priority groups from the list.")]
    elif len(set(groups)) != len(groups):
        errors["priority_groups"] = [_("Name each priority group once.")]
    start, end = programme.start_date, programme.end_date
    if start is not None and end is not None and end < start:
        errors["end_date"] = [_("The end date cannot be before the start date.")]


def programme_check(
    programme: Programme, *, employers: list[Employer], centres: list[Centre]
) -> None:
    """Refuse a programme whose organiser, employers, centres or price terms do not fit its
    model, naming every field at fault at once."""
    errors: dict[str, list[str]] = {}
    _check_organiser(programme, employers, errors)
    if "employers" not in errors:
        _check_employers(programme, employers, errors)
    _check_centres(programme, centres, errors)
    _check_terms(programme, errors)
    _raise_if(errors)
    _clean(programme, exclude=["lead_employer", "federation", "registered_by"])


# Programmes: writes


def _normalise(fields: dict) -> dict:
    unknown = set(fields) - PROGRAMME_FIELDS
    if unknown:
        raise TypeError(f"unexpected programme fields: {sorted(unknown)}")
    for name in ("name", "description"):
        if name in fields:
            fields[name] = (fields[name] or "").strip()
    if "priority_groups" in fields:
        fields["priority_groups"] = list(fields["priority_groups"] or [])
    return fields


@transaction.atomic
def programme_create(*, actor: User | None, **fields) -> Programme:
    """Register a programme as a draft (its organiser submits it for union staff approval)."""
    fields = _normalise(fields)
    employers = list(fields.pop("employers", []))
    centres = list(fields.pop("centres", []))
    programme = Programme(registered_by=actor if getattr(actor, "pk", None) else None, **fields)
    programme_check(programme, employers=employers, centres=centres)
    programme.save()
    programme.employers.set(employers)
    programme.centres.set(centres)
    audit_record(
        actor=actor, action="programme.create", target=programme, to_state=programme.status
    )
    return programme


def _not_editable(programme: Programme) -> ProgrammeError:
    text = _("Only a draft or refused programme can be changed; it is “%(status)s”.") % {
        "status": programme.get_status_display()
    }
    return _conflict(text, code=ProgrammeErrorCode.NOT_EDITABLE)


@transaction.atomic
def programme_update(*, programme: Programme, actor: User | None, **fields) -> Programme:
    """Change a draft or refused programme; the audit lists the changed field names."""
    fields = _normalise(fields)
    locked = Programme.objects.select_for_update().get(pk=programme.pk)
    if locked.status not in EDITABLE_STATES:
        raise _not_editable(locked)
    employers = list(fields.pop("employers", locked.employers.all()))
    centres = list(fields.pop("centres", locked.centres.all()))
    changed = sorted(name for name, value in fields.items() if getattr(locked, name) != value)
    if set(employers) != set(locked.employers.all()):
        changed.append("employers")
    if set(centres) != set(locked.centres.all()):
        changed.append("centres")
    for name, value in fields.items():
        setattr(locked, name, value)
    programme_check(locked, employers=employers, centres=centres)
    if not changed:
        return locked
    locked.save()
    locked.employers.set(employers)
    locked.centres.set(centres)
    audit_record(
        actor=actor, action="programme.update", target=locked, changes={"fields": sorted(changed)}
    )
    return locked


PROGRAMME_NOTICES = {
    "approve": gettext_lazy("Programme %(name)s has been approved"),
    "refuse": gettext_lazy("Programme %(name)s was not approved"),
    "suspend": gettext_lazy("Programme %(name)s has been suspended"),
    "end": gettext_lazy("Programme %(name)s has ended"),
}
PROGRAMME_MOVE_REFUSALS = {
    "submit": gettext_lazy(
        "Only a draft or refused programme can be submitted; it is “%(status)s”."
    ),
    "approve": gettext_lazy(
        "Only a programme awaiting approval can be approved; it is “%(status)s”."
    ),
    "refuse": gettext_lazy(
        "Only a programme awaiting approval can be refused; it is “%(status)s”."
    ),
    "suspend": gettext_lazy("Only an approved programme can be suspended; it is “%(status)s”."),
    "end": gettext_lazy("Only an approved or suspended programme can end; it is “%(status)s”."),
}


def _notify(programme: Programme, action: str, actor, reason: str) -> None:
    if action not in PROGRAMME_NOTICES:
        return
    recipients = {}
    if programme.lead_employer_id:
        for link in programme.lead_employer.admins.select_related("user"):
            recipients[link.user.pk] = link.user
    if programme.registered_by_id:
        recipients[programme.registered_by_id] = programme.registered_by
    title = _lazy_format(PROGRAMME_NOTICES[action], name=programme.name)
    for user in recipients.values():
        if user.pk != getattr(actor, "pk", None):
            notice_send(recipient=user, title=title, body=redact(reason), link="/employer/")


def _programme_move(*, programme: Programme, action: str, actor, reason: str = "") -> Programme:
    from_states, to_state = PROGRAMME_MOVES[action]
    locked = (
        Programme.objects.select_for_update(of=("self",))
        .select_related("lead_employer", "federation", "registered_by")
        .get(pk=programme.pk)
    )
    if locked.status not in from_states:
        status = locked.get_status_display()
        raise _conflict(str(PROGRAMME_MOVE_REFUSALS[action]) % {"status": status})
    if action == "submit":
        centres = list(locked.centres.all())
        if not centres:
            raise ProgrammeError.for_field("centres", _("Add at least one centre."))
        programme_check(locked, employers=list(locked.employers.all()), centres=centres)
    from_state = locked.status
    locked.status = to_state
    update_fields = ["status"]
    if action == "approve":
        locked.approved_at = timezone.now()
        update_fields.append("approved_at")
    locked.save(update_fields=update_fields)
    audit_record(
        actor=actor,
        action=f"programme.{action}",
        target=locked,
        from_state=from_state,
        to_state=to_state,
        reason=reason,
    )
    _notify(locked, action, actor, reason)
    programme.status = locked.status
    programme.approved_at = locked.approved_at
    return locked


@transaction.atomic
def programme_submit(*, programme: Programme, actor: User | None) -> Programme:
    """draft (or refused) → submitted, once it names at least one centre."""
    return _programme_move(programme=programme, action="submit", actor=actor)


@transaction.atomic
def programme_approve(*, programme: Programme, actor: User | None, reason: str = "") -> Programme:
    """submitted → approved: parents may now see it and apply."""
    return _programme_move(programme=programme, action="approve", actor=actor, reason=reason)


@transaction.atomic
def programme_refuse(*, programme: Programme, reason: str, actor: User | None) -> Programme:
    """submitted → refused, with the reason its organiser is told; it can be fixed and resent."""
    reason = _required_reason(reason)
    return _programme_move(programme=programme, action="refuse", actor=actor, reason=reason)


@transaction.atomic
def programme_suspend(*, programme: Programme, reason: str, actor: User | None) -> Programme:
    """approved → suspended: hidden from parents until it ends."""
    reason = _required_reason(reason)
    return _programme_move(programme=programme, action="suspend", actor=actor, reason=reason)


@transaction.atomic
def programme_end(*, programme: Programme, actor: User | None, reason: str = "") -> Programme:
    """approved or suspended → ended."""
    return _programme_move(programme=programme, action="end", actor=actor, reason=reason)


# Place agreements

CLOSED_FOR_AGREEMENTS = (Status.REFUSED, Status.ENDED)
_UNSET = object()


def _peak_bought(*, centre, age_class, start: date, end: date | None, exclude_pk=None) -> int:
    """The most places bought at once at the centre for the age class within [start, end]."""
    overlapping = PlaceAgreement.objects.filter(centre=centre, age_class=age_class).filter(
        Q(end_month__isnull=True) | Q(end_month__gte=start)
    )
    if end is not None:
        overlapping = overlapping.filter(start_month__lte=end)
    if exclude_pk is not None:
        overlapping = overlapping.exclude(pk=exclude_pk)
    rows = list(overlapping.values_list("start_month", "end_month", "places"))
    # The sum over time is a step function that only rises where an agreement starts.
    months = {start} | {row_start for row_start, _, _ in rows if row_start > start}
    return max(
        (
            sum(p for s, e, p in rows if s <= month and (e is None or e >= month))
            for month in months
        ),
        default=0,
    )


def _check_capacity(agreement: PlaceAgreement, *, exclude_pk=None) -> None:
    # Locking the classes serialises agreements (and admissions) at this centre and age class.
    classes = list(
        CentreClass.objects.select_for_update()
        .filter(centre=agreement.centre, age_class=agreement.age_class, is_active=True)
        .order_by("pk")
    )
    if not classes:
        raise ProgrammeError.for_field(
            "age_class",
            _("%(centre)s has no open class of this age class.") % {"centre": agreement.centre},
        )
    capacity = sum(c.capacity for c in classes)
    bought = _peak_bought(
        centre=agreement.centre,
        age_class=agreement.age_class,
        start=agreement.start_month,
        end=agreement.end_month,
        exclude_pk=exclude_pk,
    )
    if bought + agreement.places > capacity:
        raise ProgrammeError.for_field(
            "places",
            _(
                "%(centre)s has %(capacity)d places of this age class and %(bought)d are already "
                "bought for this period: at most %(left)d more can be bought."
            )
            % {
                "centre": agreement.centre,
                "capacity": capacity,
                "bought": bought,
                "left": max(capacity - bought, 0),
            },
            code=ProgrammeErrorCode.NO_CAPACITY,
        )


def _check_agreement(agreement: PlaceAgreement, programme: Programme) -> None:
    errors: dict[str, list[str]] = {}
    if not programme.centres.filter(pk=agreement.centre_id).exists():
        errors["centre"] = [_("Choose one of the programme's centres.")]
    if agreement.age_class not in AgeClass.values:
        errors["age_class"] = [_("Choose an age class from the list.")]
    if agreement.places is None or agreement.places < max(agreement.places_taken, 1):
        errors["places"] = [
            _("Buy at least %(min)d places.") % {"min": max(agreement.places_taken, 1)}
        ]
    if agreement.end_month is not None and agreement.end_month < agreement.start_month:
        errors["end_month"] = [_("The last month cannot be before the first.")]
    per_place = agreement.payment_mode == PlaceAgreement.PaymentMode.PER_BOUGHT_PLACE
    price = agreement.agreed_monthly_price
    if per_place and (price is None or Decimal(price) < 0):
        errors["agreed_monthly_price"] = [_("Give the agreed monthly price of a bought place.")]
    if not per_place and price is not None:
        errors["agreed_monthly_price"] = [
            _("An agreed price is only for places paid per bought place.")
        ]
    _raise_if(errors)
    _clean(agreement, exclude=["programme", "buyer_employer", "buyer_union", "centre"])


@transaction.atomic
def place_agreement_check(agreement: PlaceAgreement, *, exclude_pk: int | None = None) -> None:
    """Refuse an agreement that does not fit its programme or the centre's capacity (months are
    normalised to their first day in place); the create and update services check again."""
    agreement.start_month = month_start(agreement.start_month)
    if agreement.end_month is not None:
        agreement.end_month = month_start(agreement.end_month)
    _check_agreement(agreement, agreement.programme)
    _check_capacity(agreement, exclude_pk=exclude_pk)


@transaction.atomic
def place_agreement_create(
    *,
    programme: Programme,
    actor: User | None,
    centre: Centre,
    age_class: str,
    places: int,
    start_month: date,
    payment_mode: str,
    end_month: date | None = None,
    agreed_monthly_price: Decimal | None = None,
) -> PlaceAgreement:
    """Places the programme's organiser buys at one of its centres for an age class and period
    (months); all agreements at a centre and age class never exceed its open classes' capacity."""
    locked = Programme.objects.select_for_update().get(pk=programme.pk)
    if locked.status in CLOSED_FOR_AGREEMENTS:
        text = _("A programme that is “%(status)s” cannot buy places.") % {
            "status": locked.get_status_display()
        }
        raise _conflict(text, code=ProgrammeErrorCode.NOT_EDITABLE)
    agreement = PlaceAgreement(
        programme=locked,
        buyer_employer_id=locked.lead_employer_id,
        buyer_union_id=None if locked.lead_employer_id else locked.federation_id,
        centre=centre,
        age_class=age_class,
        places=places,
        start_month=month_start(start_month),
        end_month=month_start(end_month) if end_month else None,
        payment_mode=payment_mode,
        agreed_monthly_price=agreed_monthly_price,
    )
    _check_agreement(agreement, locked)
    _check_capacity(agreement)
    agreement.save()
    audit_record(
        actor=actor,
        action="place_agreement.create",
        target=agreement,
        changes={
            "programme": locked.pk,
            "centre": centre.pk,
            "age_class": age_class,
            "places": places,
            "payment_mode": payment_mode,
        },
    )
    return agreement


@transaction.atomic
def place_agreement_update(
    *,
    agreement: PlaceAgreement,
    actor: User | None,
    places=_UNSET,
    end_month=_UNSET,
    agreed_monthly_price=_UNSET,
) -> PlaceAgreement:
    """Change the places, the last month or the agreed price; never below the places taken."""
    locked = (
        PlaceAgreement.objects.select_for_update(of=("self",))
        .select_related("programme", "centre")
        .get(pk=agreement.pk)
    )
    changes = {
        name: value
        for name, value in (
            ("places", places),
            ("end_month", month_start(end_month) if end_month not in (_UNSET, None) else end_month),
            ("agreed_monthly_price", agreed_monthly_price),
        )
        if value is not _UNSET and getattr(locked, name) != value
    }
    if not changes:
        return locked
    for name, value in changes.items():
        setattr(locked, name, value)
    _check_agreement(locked, locked.programme)
    _check_capacity(locked, exclude_pk=locked.pk)
    locked.save(update_fields=list(changes))
    audit_record(
        actor=actor,
        action="place_agreement.update",
        target=locked,
        changes={name: str(value) for name, value in changes.items()},
    )
    return locked
