"""Centre writes: registration and its approval, classes, caregivers and centre admins.

Each function runs in one transaction with an audit record; a refusal raises DomainError naming
the field and leaves the database (and the caller's objects) unchanged.
"""

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from enum import StrEnum

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, models, transaction
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import Role, User
from apps.core.errors import DomainError
from apps.core.services import audit_record, notice_send
from apps.core.validators import normalize_credit_code, validate_credit_code

from .models import (
    CHINA_LATITUDE_RANGE,
    CHINA_LONGITUDE_RANGE,
    Caregiver,
    Centre,
    CentreAdmin,
    CentreClass,
    RegistrationStatus,
)
from .ratios import AgeClass, capacity_error


class CentreErrorCode(StrEnum):
    INVALID_TRANSITION = "invalid_transition"
    DUPLICATE = "duplicate"


Status = RegistrationStatus

# action: (states it may start from, state it ends in). Any other move is refused.
TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    "approve": (frozenset({Status.PENDING}), Status.APPROVED),
    "refuse": (frozenset({Status.PENDING}), Status.REFUSED),
    "suspend": (frozenset({Status.APPROVED}), Status.SUSPENDED),
    "reinstate": (frozenset({Status.SUSPENDED}), Status.APPROVED),
}
ACTIONS_NEEDING_REASON = frozenset({"refuse", "suspend"})
ACTION_LABELS = {
    "approve": _("approved"),
    "refuse": _("refused"),
    "suspend": _("suspended"),
    "reinstate": _("reinstated"),
}

CENTRE_UPDATABLE_FIELDS = frozenset(
    {
        "name",
        "credit_code",
        "filing_number",
        "filing_status",
        "operator",
        "address",
        "area",
        "latitude",
        "longitude",
        "federation",
        "federation_staff_count",
        "offers_welfare_childcare",
        "contact_phone",
    }
)
CLASS_UPDATABLE_FIELDS = frozenset({"name", "age_class", "capacity", "monthly_price", "is_active"})
CAREGIVER_UPDATABLE_FIELDS = frozenset({"full_name", "role"})

# Landlines (0315-5600000) as well as mobiles: centres often publish a front-desk number.
_PHONE_RE = re.compile(r"[0-9][0-9\- ]{5,18}[0-9]")

# Notices are rendered in the recipient's language, so the filling-in must wait until then.
_fill_in = lazy(lambda text, params: str(text) % params, str)


def _invalid(field: str, message) -> DomainError:
    return DomainError.for_field(field, str(message))


def _full_clean(instance: models.Model) -> None:
    try:
        instance.full_clean()
    except ValidationError as error:
        fields = {name: list(msgs) for name, msgs in error.message_dict.items()}
        general = fields.pop(NON_FIELD_ERRORS, [])
        message = " ".join(general) or gettext("Some fields are not valid.")
        raise DomainError(message, fields=fields) from error


def _save(instance: models.Model, actor, **kwargs) -> None:
    instance._history_user = actor if getattr(actor, "is_authenticated", False) else None
    instance.save(**kwargs)


def _audit_value(value):
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, Decimal):
        return str(value)
    return value


def _apply(instance: models.Model, changes: dict) -> dict:
    """Set the changed attributes and return {field: [old, new]} for the audit record."""
    diff = {}
    for field, new in changes.items():
        old = getattr(instance, field)
        if old != new:
            diff[field] = [_audit_value(old), _audit_value(new)]
            setattr(instance, field, new)
    return diff


# Centres


def _duplicate_credit_code() -> DomainError:
    return DomainError(
        gettext("A centre with this unified social credit code is already registered."),
        code=CentreErrorCode.DUPLICATE,
        fields={"credit_code": [gettext("This credit code is already registered.")]},
    )


def _credit_code(value: str, *, exclude_pk: int | None = None) -> str:
    code = normalize_credit_code(value)
    try:
        validate_credit_code(code)
    except ValidationError as error:
        raise _invalid("credit_code", error.messages[0]) from error
    if Centre.objects.filter(credit_code=code).exclude(pk=exclude_pk).exists():
        raise _duplicate_credit_code()
    return code


def _coordinate(value, field: str, bounds: tuple[int, int]) -> Decimal:
    try:
        number = Decimal(str(value)).quantize(Decimal("0.000001"), ROUND_HALF_UP)
    except (InvalidOperation, ValueError):
        raise _invalid(field, _("Enter a number.")) from None
    if not bounds[0] <= number <= bounds[1]:
        raise _invalid(
            field,
            _("This point is outside China: the %(field)s must be between %(low)d and %(high)d.")
            % {
                "field": Centre._meta.get_field(field).verbose_name,
                "low": bounds[0],
                "high": bounds[1],
            },
        )
    return number


def _check_centre(centre: Centre) -> None:
    """Refusals the constraints would also make, but with a message naming the field."""
    centre.latitude = _coordinate(centre.latitude, "latitude", CHINA_LATITUDE_RANGE)
    centre.longitude = _coordinate(centre.longitude, "longitude", CHINA_LONGITUDE_RANGE)
    if centre.contact_phone and not _PHONE_RE.fullmatch(centre.contact_phone):
        raise _invalid(
            "contact_phone", _("Enter a phone number: digits, for example 0315-5600000.")
        )
    if centre.federation_id is None and centre.federation_staff_count:
        raise _invalid(
            "federation_staff_count",
            _("Only a centre in the industry union federation has staff in it."),
        )
    if centre.filing_status == Centre.Filing.FILED and not centre.filing_number.strip():
        raise _invalid(
            "filing_number", _("A centre filed with the health commission needs its filing number.")
        )
    _full_clean(centre)


def _save_centre(centre: Centre, actor) -> None:
    try:
        with transaction.atomic():
            _save(centre, actor)
    except IntegrityError as error:  # a concurrent registration with the same code won the race
        raise _duplicate_credit_code() from error


@transaction.atomic
def centre_create(
    *,
    name: str,
    credit_code: str,
    operator: str,
    address: str,
    area,
    latitude: Decimal,
    longitude: Decimal,
    actor: User | None,
    filing_number: str = "",
    filing_status: str = Centre.Filing.NOT_FILED,
    federation=None,
    federation_staff_count: int = 0,
    offers_welfare_childcare: bool = False,
    contact_phone: str = "",
) -> Centre:
    """Register a centre, pending approval by union staff. GCJ-02 coordinates inside China."""
    centre = Centre(
        name=name,
        credit_code=_credit_code(credit_code),
        operator=operator,
        address=address,
        area=area,
        latitude=latitude,
        longitude=longitude,
        filing_number=filing_number,
        filing_status=filing_status,
        federation=federation,
        federation_staff_count=federation_staff_count,
        offers_welfare_childcare=offers_welfare_childcare,
        contact_phone=contact_phone,
        status=Status.PENDING,
    )
    _check_centre(centre)
    _save_centre(centre, actor)
    audit_record(actor=actor, action="centre.create", target=centre, to_state=centre.status)
    return centre


@transaction.atomic
def centre_update(*, centre: Centre, actor: User | None, **changes) -> Centre:
    """Change a centre's details (not its status: that moves only through the transitions)."""
    unknown = set(changes) - CENTRE_UPDATABLE_FIELDS
    if unknown:
        raise TypeError(f"centre_update() cannot change {sorted(unknown)}")
    locked = Centre.objects.select_for_update().get(pk=centre.pk)
    if "credit_code" in changes:
        changes["credit_code"] = _credit_code(changes["credit_code"], exclude_pk=locked.pk)
    diff = _apply(locked, changes)
    if not diff:
        return locked
    _check_centre(locked)
    _save_centre(locked, actor)
    audit_record(actor=actor, action="centre.update", target=locked, changes=diff)
    return locked


def _centre_move(*, centre: Centre, action: str, actor: User | None, reason: str = "") -> Centre:
    allowed_from, to_state = TRANSITIONS[action]
    reason = (reason or "").strip()
    if action in ACTIONS_NEEDING_REASON and not reason:
        raise _invalid("reason", _("Give the reason: the centre's admins will read it."))
    locked = Centre.objects.select_for_update().get(pk=centre.pk)
    from_state = locked.status
    if from_state not in allowed_from:
        raise DomainError(
            gettext("%(name)s cannot be %(action)s while it is %(status)s.")
            % {
                "name": locked.name,
                "action": ACTION_LABELS[action],
                "status": locked.get_status_display(),
            },
            code=CentreErrorCode.INVALID_TRANSITION,
            status_code=409,
        )
    locked.status = to_state
    locked._change_reason = reason
    _save(locked, actor, update_fields=["status"])
    audit_record(
        actor=actor,
        action=f"centre.{action}",
        target=locked,
        from_state=from_state,
        to_state=to_state,
        reason=reason,
    )
    _notify_admins(centre=locked, action=action, reason=reason)
    return locked


def _notify_admins(*, centre: Centre, action: str, reason: str) -> None:
    title = _fill_in(
        _("Your centre %(name)s has been %(action)s."),
        {"name": centre.name, "action": ACTION_LABELS[action]},
    )
    body = _fill_in(_("Reason: %(reason)s"), {"reason": reason}) if reason else ""
    for link in centre.admins.select_related("user"):
        notice_send(recipient=link.user, title=title, body=body, link="/centre/")


@transaction.atomic
def centre_approve(*, centre: Centre, actor: User, reason: str = "") -> Centre:
    """Pending → approved: the centre shows in the public directory."""
    return _centre_move(centre=centre, action="approve", actor=actor, reason=reason)


@transaction.atomic
def centre_refuse(*, centre: Centre, actor: User, reason: str) -> Centre:
    """Pending → refused; the reason goes to the centre's admins."""
    return _centre_move(centre=centre, action="refuse", actor=actor, reason=reason)


@transaction.atomic
def centre_suspend(*, centre: Centre, actor: User, reason: str) -> Centre:
    """Approved → suspended: hidden from the directory until reinstated."""
    return _centre_move(centre=centre, action="suspend", actor=actor, reason=reason)


@transaction.atomic
def centre_reinstate(*, centre: Centre, actor: User, reason: str = "") -> Centre:
    """Suspended → approved."""
    return _centre_move(centre=centre, action="reinstate", actor=actor, reason=reason)


# Centre admins


@transaction.atomic
def centre_admin_add(*, centre: Centre, user: User, actor: User | None) -> CentreAdmin:
    """Let a centre-admin account manage the centre; an account manages one centre at most."""
    if user.role != Role.CENTRE_ADMIN:
        raise _invalid("user", _("Only an account with the centre admin role can manage a centre."))
    if CentreAdmin.objects.filter(user=user).exists():
        raise _invalid("user", _("This account already manages a centre."))
    link = CentreAdmin(centre=centre, user=user)
    _full_clean(link)
    link.save()
    audit_record(
        actor=actor, action="centre.admin_add", target=centre, changes={"user": [None, user.pk]}
    )
    notice_send(
        recipient=user,
        title=_fill_in(_("You now manage %(name)s."), {"name": centre.name}),
        link="/centre/",
    )
    return link


@transaction.atomic
def centre_admin_remove(*, centre_admin: CentreAdmin, actor: User | None) -> None:
    audit_record(
        actor=actor,
        action="centre.admin_remove",
        target=centre_admin.centre,
        changes={"user": [centre_admin.user_id, None]},
    )
    CentreAdmin.objects.filter(pk=centre_admin.pk).delete()


# Classes


def _price(value) -> Decimal:
    try:
        price = value if isinstance(value, Decimal) else Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise _invalid("monthly_price", _("Enter the monthly price in yuan.")) from None
    if not price.is_finite() or price < 0:
        raise _invalid("monthly_price", _("The monthly price must be 0 yuan or more."))
    return price.quantize(Decimal("0.01"), ROUND_HALF_UP)


def _check_class(centre_class: CentreClass) -> None:
    if centre_class.age_class not in AgeClass.values:
        raise _invalid("age_class", _("Choose one of the age classes of the national standards."))
    capacity = centre_class.capacity
    if not isinstance(capacity, int) or isinstance(capacity, bool):
        raise _invalid("capacity", _("Enter a whole number of children."))
    message = capacity_error(centre_class.age_class, capacity)
    if message:
        raise _invalid("capacity", message)
    if capacity < centre_class.places_taken:
        raise _invalid(
            "capacity",
            _("%(taken)d places are taken; the capacity cannot be lower.")
            % {"taken": centre_class.places_taken},
        )
    centre_class.monthly_price = _price(centre_class.monthly_price)
    same_name = CentreClass.objects.filter(centre_id=centre_class.centre_id, name=centre_class.name)
    if same_name.exclude(pk=centre_class.pk).exists():
        raise _invalid("name", _("This centre already has a class with this name."))
    _full_clean(centre_class)


@transaction.atomic
def centre_class_create(
    *,
    centre: Centre,
    name: str,
    age_class: str,
    capacity: int,
    monthly_price: Decimal,
    actor: User | None,
) -> CentreClass:
    """Open a class; its capacity is at most the national maximum for its age class."""
    centre_class = CentreClass(
        centre=centre,
        name=name,
        age_class=age_class,
        capacity=capacity,
        monthly_price=monthly_price,
    )
    _check_class(centre_class)
    _save(centre_class, actor)
    audit_record(
        actor=actor,
        action="centre_class.create",
        target=centre_class,
        changes={
            "age_class": [None, age_class],
            "capacity": [None, capacity],
            "monthly_price": [None, str(centre_class.monthly_price)],
        },
    )
    return centre_class


@transaction.atomic
def centre_class_update(*, centre_class: CentreClass, actor: User | None, **changes) -> CentreClass:
    """Change a class's name, age class, capacity, price or whether it is open."""
    unknown = set(changes) - CLASS_UPDATABLE_FIELDS
    if unknown:
        raise TypeError(f"centre_class_update() cannot change {sorted(unknown)}")
    locked = CentreClass.objects.select_for_update().get(pk=centre_class.pk)
    if "monthly_price" in changes:
        changes["monthly_price"] = _price(changes["monthly_price"])
    diff = _apply(locked, changes)
    if not diff:
        return locked
    _check_class(locked)
    _save(locked, actor)
    audit_record(actor=actor, action="centre_class.update", target=locked, changes=diff)
    return locked


@transaction.atomic
def centre_class_assign_caregivers(
    *, centre_class: CentreClass, caregivers, actor: User | None
) -> CentreClass:
    """Make `caregivers` (active, of the class's own centre) exactly the class's caregivers."""
    caregivers = list(caregivers)
    elsewhere = sorted(c.pk for c in caregivers if c.centre_id != centre_class.centre_id)
    if elsewhere:
        raise _invalid(
            "caregivers",
            _("Caregivers %(ids)s do not work at this centre.") % {"ids": _ids(elsewhere)},
        )
    gone = sorted(c.pk for c in caregivers if not c.is_active)
    if gone:
        raise _invalid(
            "caregivers", _("Caregivers %(ids)s no longer work here.") % {"ids": _ids(gone)}
        )
    locked = CentreClass.objects.select_for_update().get(pk=centre_class.pk)
    before = sorted(locked.caregivers.values_list("pk", flat=True))
    after = sorted({c.pk for c in caregivers})
    if before == after:
        return locked
    locked._history_user = actor if getattr(actor, "is_authenticated", False) else None
    locked.caregivers.set(caregivers)
    audit_record(
        actor=actor,
        action="centre_class.assign_caregivers",
        target=locked,
        changes={"caregivers": [before, after]},
    )
    return locked


def _ids(pks: list[int]) -> str:
    return ", ".join(f"#{pk}" for pk in pks)


# Caregivers. Their names are personal data: audit records note that a name changed, not to what.


def _check_caregiver(caregiver: Caregiver) -> None:
    if not caregiver.full_name.strip():
        raise _invalid("full_name", _("Enter the caregiver's full name."))
    _full_clean(caregiver)


@transaction.atomic
def caregiver_create(
    *, centre: Centre, full_name: str, actor: User | None, role: str = Caregiver.Role.CAREGIVER
) -> Caregiver:
    caregiver = Caregiver(centre=centre, full_name=full_name.strip(), role=role)
    _check_caregiver(caregiver)
    caregiver.save()
    audit_record(
        actor=actor, action="caregiver.create", target=caregiver, changes={"role": [None, role]}
    )
    return caregiver


@transaction.atomic
def caregiver_update(*, caregiver: Caregiver, actor: User | None, **changes) -> Caregiver:
    unknown = set(changes) - CAREGIVER_UPDATABLE_FIELDS
    if unknown:
        raise TypeError(f"caregiver_update() cannot change {sorted(unknown)}")
    locked = Caregiver.objects.select_for_update().get(pk=caregiver.pk)
    if "full_name" in changes:
        changes["full_name"] = changes["full_name"].strip()
    diff = _apply(locked, changes)
    if not diff:
        return locked
    _check_caregiver(locked)
    locked.save()
    if "full_name" in diff:
        diff["full_name"] = "changed"
    audit_record(actor=actor, action="caregiver.update", target=locked, changes=diff)
    return locked


@transaction.atomic
def caregiver_deactivate(
    *, caregiver: Caregiver, actor: User | None, reason: str = ""
) -> Caregiver:
    """Mark a caregiver as no longer working here; they stop counting towards class ratios."""
    locked = Caregiver.objects.select_for_update().get(pk=caregiver.pk)
    if not locked.is_active:
        raise DomainError(
            gettext("This caregiver is already marked as no longer working here."),
            code=CentreErrorCode.INVALID_TRANSITION,
            status_code=409,
        )
    locked.is_active = False
    locked.save(update_fields=["is_active"])
    audit_record(
        actor=actor,
        action="caregiver.deactivate",
        target=locked,
        from_state="active",
        to_state="inactive",
        reason=reason,
    )
    return locked
