"""Writes for employers, their admins and employments: state tables, audits and notices."""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.accounts.models import Role, User
from apps.centres.models import RegistrationStatus
from apps.core.errors import DomainError
from apps.core.redaction import redact
from apps.core.services import audit_record, notice_send
from apps.core.validators import normalize_credit_code, validate_credit_code
from apps.members.models import Member, Union

from ..models import Employer, EmployerAdmin, Employment

# action: (the only state it starts from, the state it leads to)
EMPLOYER_MOVES = {
    "approve": (RegistrationStatus.PENDING, RegistrationStatus.APPROVED),
    "refuse": (RegistrationStatus.PENDING, RegistrationStatus.REFUSED),
    "suspend": (RegistrationStatus.APPROVED, RegistrationStatus.SUSPENDED),
    "reinstate": (RegistrationStatus.SUSPENDED, RegistrationStatus.APPROVED),
}
EMPLOYMENT_MOVES = {
    "confirm": (Employment.Status.PENDING, Employment.Status.ACTIVE),
    "refuse": (Employment.Status.PENDING, Employment.Status.REFUSED),
    "end": (Employment.Status.ACTIVE, Employment.Status.LEFT),
}
EMPLOYER_FIELDS = frozenset(
    {"name", "credit_code", "kind", "address", "area", "union", "contact_name", "contact_phone"}
)
REASON_MAX_LENGTH = 200


class EmployerErrorCode(StrEnum):
    INVALID = "invalid"
    DUPLICATE = "duplicate"
    INVALID_TRANSITION = "invalid_transition"
    EMPLOYER_NOT_APPROVED = "employer_not_approved"


class EmployerError(DomainError):
    """A refusal from the employers app."""


def _clean(instance, *, exclude: list[str] | None = None) -> None:
    try:
        instance.full_clean(exclude=exclude)
    except ValidationError as error:
        fields = {name: list(messages) for name, messages in error.message_dict.items()}
        raise EmployerError(_("Some fields are not valid."), fields=fields) from None


def _lazy_format(message, **params):
    # Rendered when notice_send switches to the recipient's language, not the actor's.
    return lazy(lambda: str(message) % params, str)()


def _required_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise EmployerError.for_field("reason", _("Give a reason."))
    if len(reason) > REASON_MAX_LENGTH:
        raise EmployerError.for_field(
            "reason",
            _("Keep the reason to %(count)d characters.") % {"count": REASON_MAX_LENGTH},
        )
    return reason


def _invalid_transition(message, current: str) -> EmployerError:
    # 409: the request is well formed but conflicts with the record's current state.
    text = str(message) % {"status": current}
    return EmployerError(
        text,
        code=EmployerErrorCode.INVALID_TRANSITION,
        fields={"status": [text]},
        status_code=409,
    )


# Employers


def employer_check(
    *, credit_code: str, union: Union | None, employer: Employer | None = None
) -> str:
    """Validate and normalise the credit code (unique) and check the union is grassroots."""
    try:
        validate_credit_code(credit_code)
    except ValidationError as error:
        raise EmployerError.for_field("credit_code", error.messages[0]) from None
    code = normalize_credit_code(credit_code)
    others = Employer.objects.filter(credit_code=code)
    if employer is not None and employer.pk is not None:
        others = others.exclude(pk=employer.pk)
    if others.exists():
        raise EmployerError.for_field(
            "credit_code",
            _("An employer with this unified social credit code is already registered."),
            code=EmployerErrorCode.DUPLICATE,
        )
    if union is not None and union.kind != Union.Kind.GRASSROOTS:
        raise EmployerError.for_field("union", _("Choose a grassroots union."))
    return code


def _save_employer(employer: Employer) -> None:
    _clean(employer, exclude=["credit_code"])
    try:
        with transaction.atomic():
            employer.save()
    except IntegrityError:
        raise EmployerError.for_field(
            "credit_code",
            _("An employer with this unified social credit code is already registered."),
            code=EmployerErrorCode.DUPLICATE,
        ) from None


@transaction.atomic
def employer_create(
    *,
    name: str,
    credit_code: str,
    kind: str,
    address: str,
    area,
    union: Union | None = None,
    contact_name: str = "",
    contact_phone: str = "",
    actor: User | None,
) -> Employer:
    """Register an employer; it waits for union staff approval."""
    code = employer_check(credit_code=credit_code, union=union)
    employer = Employer(
        name=name.strip(),
        credit_code=code,
        kind=kind,
        address=address.strip(),
        area=area,
        union=union,
        contact_name=contact_name.strip(),
        contact_phone=contact_phone.strip(),
        status=RegistrationStatus.PENDING,
    )
    _save_employer(employer)
    audit_record(actor=actor, action="employer.create", target=employer, to_state=employer.status)
    return employer


@transaction.atomic
def employer_update(*, employer: Employer, actor: User | None, **fields) -> Employer:
    """Change registration details (not the status); the audit lists changed field names."""
    unknown = set(fields) - EMPLOYER_FIELDS
    if unknown:
        raise TypeError(f"employer_update() got unexpected fields: {sorted(unknown)}")
    fields["credit_code"] = employer_check(
        credit_code=fields.get("credit_code", employer.credit_code),
        union=fields.get("union", employer.union),
        employer=employer,
    )
    changed = sorted(name for name, value in fields.items() if getattr(employer, name) != value)
    if not changed:
        return employer
    for name, value in fields.items():
        setattr(employer, name, value)
    _save_employer(employer)
    audit_record(
        actor=actor, action="employer.update", target=employer, changes={"fields": changed}
    )
    return employer


EMPLOYER_NOTICES = {
    "approve": gettext_lazy("%(name)s has been approved"),
    "refuse": gettext_lazy("%(name)s was not approved"),
    "suspend": gettext_lazy("%(name)s has been suspended"),
    "reinstate": gettext_lazy("%(name)s has been reinstated"),
}
EMPLOYER_MOVE_REFUSALS = {
    "approve": gettext_lazy(
        "Only an employer pending approval can be approved; it is “%(status)s”."
    ),
    "refuse": gettext_lazy("Only an employer pending approval can be refused; it is “%(status)s”."),
    "suspend": gettext_lazy("Only an approved employer can be suspended; it is “%(status)s”."),
    "reinstate": gettext_lazy("Only a suspended employer can be reinstated; it is “%(status)s”."),
}


def _employer_move(*, employer: Employer, action: str, actor, reason: str = "") -> Employer:
    from_state, to_state = EMPLOYER_MOVES[action]
    locked = Employer.objects.select_for_update().get(pk=employer.pk)
    if locked.status != from_state:
        raise _invalid_transition(EMPLOYER_MOVE_REFUSALS[action], locked.get_status_display())
    locked.status = to_state
    locked.save(update_fields=["status"])
    audit_record(
        actor=actor,
        action=f"employer.{action}",
        target=locked,
        from_state=from_state,
        to_state=to_state,
        reason=reason,
    )
    title = _lazy_format(EMPLOYER_NOTICES[action], name=locked.name)
    for admin in locked.admins.select_related("user"):
        notice_send(recipient=admin.user, title=title, body=redact(reason), link="/employer/")
    employer.status = to_state
    return locked


@transaction.atomic
def employer_approve(*, employer: Employer, actor: User | None, reason: str = "") -> Employer:
    """pending → approved; tells the employer's admins."""
    return _employer_move(employer=employer, action="approve", actor=actor, reason=reason)


@transaction.atomic
def employer_refuse(*, employer: Employer, reason: str, actor: User | None) -> Employer:
    """pending → refused, with a reason the employer's admins are told."""
    reason = _required_reason(reason)
    return _employer_move(employer=employer, action="refuse", actor=actor, reason=reason)


@transaction.atomic
def employer_suspend(*, employer: Employer, reason: str, actor: User | None) -> Employer:
    """approved → suspended: its admins can no longer act for it (see selectors)."""
    reason = _required_reason(reason)
    return _employer_move(employer=employer, action="suspend", actor=actor, reason=reason)


@transaction.atomic
def employer_reinstate(*, employer: Employer, actor: User | None, reason: str = "") -> Employer:
    """suspended → approved."""
    return _employer_move(employer=employer, action="reinstate", actor=actor, reason=reason)


# Employer admins


def employer_admin_check(user: User | None) -> None:
    if user is None or user.role != Role.EMPLOYER_ADMIN:
        raise EmployerError.for_field("user", _("Choose an account with the employer admin role."))
    if EmployerAdmin.objects.filter(user=user).exists():
        raise EmployerError.for_field(
            "user",
            _("This account already administers an employer."),
            code=EmployerErrorCode.DUPLICATE,
        )


@transaction.atomic
def employer_admin_add(*, employer: Employer, user: User, actor: User | None) -> EmployerAdmin:
    """Link an employer-admin account to the employer (one employer per account)."""
    employer_admin_check(user)
    link = EmployerAdmin(employer=employer, user=user)
    try:
        with transaction.atomic():
            link.save()
    except IntegrityError:
        raise EmployerError.for_field(
            "user",
            _("This account already administers an employer."),
            code=EmployerErrorCode.DUPLICATE,
        ) from None
    audit_record(
        actor=actor, action="employer.admin_add", target=employer, changes={"user": user.pk}
    )
    return link


@transaction.atomic
def employer_admin_remove(*, employer_admin: EmployerAdmin, actor: User | None) -> None:
    employer, user_id = employer_admin.employer, employer_admin.user_id
    employer_admin.delete()
    audit_record(
        actor=actor, action="employer.admin_remove", target=employer, changes={"user": user_id}
    )


# Employments


def _require_approved(employer: Employer) -> None:
    if employer.status != RegistrationStatus.APPROVED:
        raise EmployerError.for_field(
            "employer",
            _("%(name)s is not an approved employer.") % {"name": employer.name},
            code=EmployerErrorCode.EMPLOYER_NOT_APPROVED,
        )


@transaction.atomic
def employment_create(
    *,
    member: Member,
    employer: Employer,
    department: str = "",
    start_date: date | None = None,
    actor: User | None,
) -> Employment:
    """A member says they work at an approved employer; it waits for the employer to confirm."""
    _require_approved(employer)
    if Employment.objects.filter(member=member, employer=employer).exists():
        raise EmployerError.for_field(
            "employer",
            _("This member is already recorded at this employer."),
            code=EmployerErrorCode.DUPLICATE,
        )
    employment = Employment(
        member=member, employer=employer, department=department.strip(), start_date=start_date
    )
    _clean(employment, exclude=["member", "employer"])
    employment.save()
    audit_record(
        actor=actor, action="employment.create", target=employment, to_state=employment.status
    )
    return employment


EMPLOYMENT_NOTICES = {
    "confirm": gettext_lazy("%(name)s confirmed that you work there"),
    "refuse": gettext_lazy("%(name)s did not confirm that you work there"),
    "end": gettext_lazy("%(name)s recorded that you have left"),
}
EMPLOYMENT_MOVE_REFUSALS = {
    "confirm": gettext_lazy(
        "Only an employment awaiting confirmation can be confirmed; it is “%(status)s”."
    ),
    "refuse": gettext_lazy(
        "Only an employment awaiting confirmation can be refused; it is “%(status)s”."
    ),
    "end": gettext_lazy("Only a current employment can be ended; it is “%(status)s”."),
}


def _employment_move(
    *, employment: Employment, action: str, actor, reason: str = "", **updates
) -> Employment:
    from_state, to_state = EMPLOYMENT_MOVES[action]
    locked = (
        Employment.objects.select_for_update(of=("self",))
        .select_related("employer", "member__user")
        .get(pk=employment.pk)
    )
    _require_approved(locked.employer)
    if locked.status != from_state:
        raise _invalid_transition(EMPLOYMENT_MOVE_REFUSALS[action], locked.get_status_display())
    for name, value in {"status": to_state, **updates}.items():
        setattr(locked, name, value)
    _clean(locked, exclude=["member", "employer"])
    locked.save(update_fields=["status", *updates])
    audit_record(
        actor=actor,
        action=f"employment.{action}",
        target=locked,
        from_state=from_state,
        to_state=to_state,
        reason=reason,
    )
    if locked.member.user is not None:
        title = _lazy_format(EMPLOYMENT_NOTICES[action], name=locked.employer.name)
        notice_send(recipient=locked.member.user, title=title, body=redact(reason), link="/parent/")
    employment.__dict__.update({"status": to_state, **updates})
    return locked


@transaction.atomic
def employment_confirm(
    *,
    employment: Employment,
    actor: User | None,
    verified_by: str = Employment.VerifiedBy.EMPLOYER,
) -> Employment:
    """pending → active, recording how it was verified."""
    return _employment_move(
        employment=employment, action="confirm", actor=actor, verified_by=verified_by
    )


@transaction.atomic
def employment_refuse(*, employment: Employment, reason: str, actor: User | None) -> Employment:
    """pending → refused, with the reason kept on the employment and told to the member."""
    reason = _required_reason(reason)
    return _employment_move(
        employment=employment,
        action="refuse",
        actor=actor,
        reason=reason,
        refusal_reason=redact(reason),
    )


@transaction.atomic
def employment_end(*, employment: Employment, end_date: date, actor: User | None) -> Employment:
    """active → left on `end_date` (not in the future, not before the start date)."""
    if end_date > timezone.localdate():
        raise EmployerError.for_field("end_date", _("The end date cannot be in the future."))
    if employment.start_date is not None and end_date < employment.start_date:
        raise EmployerError.for_field(
            "end_date", _("The end date cannot be before the start date.")
        )
    return _employment_move(employment=employment, action="end", actor=actor, end_date=end_date)
