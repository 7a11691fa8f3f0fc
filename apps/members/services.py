"""Writes for unions, members and children. Every change is audited without plain PII."""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.models import Role, User
from apps.core.errors import DomainError
from apps.core.pii import sensitive_lookup, set_sensitive
from apps.core.services import audit_record
from apps.core.validators import (
    id_number_birth_date,
    normalize_id_number,
    normalize_mobile,
    validate_id_number,
    validate_mobile,
)

from .models import Child, GuardianConsent, Guardianship, Member, Union

MAX_GUARDIANS = 2
# Children older than this are outside childcare and kindergarten age.
MAX_CHILD_AGE_YEARS = 7


class MemberErrorCode(StrEnum):
    INVALID = "invalid"
    DUPLICATE = "duplicate"
    BIRTH_DATE_IN_FUTURE = "birth_date_in_future"
    CHILD_TOO_OLD = "child_too_old"
    TOO_MANY_GUARDIANS = "too_many_guardians"
    PASSWORD_REQUIRED = "password_required"  # noqa: S105 (an error code)


class MemberError(DomainError):
    """A refusal from the members app."""


def clean_or_refuse(instance: models.Model, *, exclude: list[str] | None = None) -> None:
    """`full_clean()`, turning Django's ValidationError into a DomainError naming the fields."""
    try:
        instance.full_clean(exclude=exclude)
    except ValidationError as error:
        fields = {name: list(messages) for name, messages in error.message_dict.items()}
        raise MemberError(_("Some fields are not valid."), fields=fields) from None


def _save_unique(instance: models.Model, *, field: str, message: str) -> None:
    # The existence check before this can lose a race; the unique index cannot.
    try:
        with transaction.atomic():
            instance.save()
    except IntegrityError:
        raise MemberError.for_field(field, message, code=MemberErrorCode.DUPLICATE) from None


# Unions

UNION_FIELDS = frozenset({"name", "kind", "parent", "area", "is_active"})


def union_check_parent(*, union: Union | None, kind: str, parent: Union | None) -> None:
    """A city federation has no parent, and no union may be its own ancestor."""
    if parent is None:
        return
    if kind == Union.Kind.CITY_FEDERATION:
        raise MemberError.for_field("parent", _("A city federation has no parent union."))
    ancestor: Union | None = parent
    while ancestor is not None:
        if union is not None and union.pk is not None and ancestor.pk == union.pk:
            raise MemberError.for_field(
                "parent", _("A union cannot be placed under itself or under one of its own.")
            )
        ancestor = ancestor.parent


@transaction.atomic
def union_create(
    *,
    name: str,
    kind: str,
    parent: Union | None = None,
    area=None,
    is_active: bool = True,
    actor: User | None,
) -> Union:
    union = Union(name=name.strip(), kind=kind, parent=parent, area=area, is_active=is_active)
    union_check_parent(union=None, kind=kind, parent=parent)
    clean_or_refuse(union)
    union.save()
    audit_record(actor=actor, action="union.create", target=union, to_state=union.kind)
    return union


@transaction.atomic
def union_update(*, union: Union, actor: User | None, **fields) -> Union:
    """Change name, kind, parent, area or `is_active`; the audit lists the changed field names."""
    unknown = set(fields) - UNION_FIELDS
    if unknown:
        raise TypeError(f"union_update() got unexpected fields: {sorted(unknown)}")
    was_active = union.is_active
    changed = sorted(name for name, value in fields.items() if getattr(union, name) != value)
    for name, value in fields.items():
        setattr(union, name, value)
    union_check_parent(union=union, kind=union.kind, parent=union.parent)
    clean_or_refuse(union)
    if not changed:
        return union
    union.save()
    audit_record(
        actor=actor,
        action="union.update",
        target=union,
        from_state="active" if was_active else "inactive",
        to_state="active" if union.is_active else "inactive",
        changes={"fields": changed},
    )
    return union


# Members


def member_check_id_number(value: str, *, member: Member | None = None) -> str:
    """Validate and normalise an ID number; refuse one another member already holds."""
    try:
        validate_id_number(value)
    except ValidationError as error:
        raise MemberError.for_field("id_number", error.messages[0]) from None
    number = normalize_id_number(value)
    others = Member.objects.filter(
        **sensitive_lookup("id_number", number, normalize=normalize_id_number)
    )
    if member is not None and member.pk is not None:
        others = others.exclude(pk=member.pk)
    if others.exists():
        raise MemberError.for_field(
            "id_number",
            _("A member with this resident ID number is already registered."),
            code=MemberErrorCode.DUPLICATE,
        )
    return number


def member_check_mobile(value: str) -> str:
    try:
        validate_mobile(value)
    except ValidationError as error:
        raise MemberError.for_field("mobile", error.messages[0]) from None
    return normalize_mobile(value)


def member_check_user(user: User | None) -> None:
    if user is None:
        return
    if user.role != Role.PARENT:
        raise MemberError.for_field("user", _("Only a parent account can be a member's account."))
    if Member.objects.filter(user=user).exists():
        raise MemberError.for_field(
            "user", _("This account already belongs to a member."), code=MemberErrorCode.DUPLICATE
        )


@transaction.atomic
def member_create(
    *,
    user: User | None,
    full_name: str,
    id_number: str,
    mobile: str,
    union: Union | None = None,
    actor: User | None,
) -> Member:
    """Register a worker. Naming a union claims membership; union staff verify it later."""
    number = member_check_id_number(id_number)
    mobile = member_check_mobile(mobile)
    member_check_user(user)
    member = Member(
        user=user,
        full_name=full_name.strip(),
        mobile=mobile,
        union=union,
        membership=Member.Membership.CLAIMED if union else Member.Membership.NONE,
    )
    set_sensitive(member, "id_number", number, normalize=normalize_id_number)
    clean_or_refuse(member, exclude=["id_number_hash", "user"])
    _save_unique(
        member,
        field="id_number",
        message=_("A member with this resident ID number is already registered."),
    )
    audit_record(actor=actor, action="member.create", target=member, to_state=member.membership)
    return member


@transaction.atomic
def member_update(
    *, member: Member, full_name: str, union: Union | None, actor: User | None
) -> Member:
    changed = [
        name
        for name, value in (("full_name", full_name.strip()), ("union", union))
        if getattr(member, name) != value
    ]
    if not changed:
        return member
    member.full_name, member.union = full_name.strip(), union
    clean_or_refuse(member, exclude=["id_number_hash", "user"])
    member.save(update_fields=["full_name", "union"])
    audit_record(actor=actor, action="member.update", target=member, changes={"fields": changed})
    return member


@transaction.atomic
def member_update_mobile(
    *, member: Member, mobile: str, actor: User | None, password: str | None = None
) -> Member:
    """Change the mobile number. A member changing their own enters their password again: a
    session left open on a shared phone must not be enough to take over the number notices go
    to (union staff correct numbers in the admin). The audit says that it changed, never what to."""
    own_number = actor is not None and actor.pk == member.user_id
    if own_number and not (password and actor.check_password(password)):
        message = _("Enter your password again to change the mobile number.")
        raise MemberError(
            message, code=MemberErrorCode.PASSWORD_REQUIRED, fields={"password": [message]}
        )
    mobile = member_check_mobile(mobile)
    if mobile == member.mobile:
        return member
    member.mobile = mobile
    member.save(update_fields=["mobile"])
    audit_record(
        actor=actor, action="member.mobile_change", target=member, changes={"fields": ["mobile"]}
    )
    return member


def member_check_membership(*, membership: str, union: Union | None) -> None:
    if membership not in Member.Membership.values:
        raise MemberError.for_field("membership", _("Choose a known membership status."))
    if membership != Member.Membership.NONE and union is None:
        raise MemberError.for_field(
            "union", _("Choose the member's union before recording union membership.")
        )


@transaction.atomic
def member_membership_set(
    *, member: Member, membership: str, actor: User | None, reason: str = ""
) -> Member:
    """Set union-membership status; verifying stamps the time. Audited with from/to and reason."""
    locked = Member.objects.select_for_update().get(pk=member.pk)
    member_check_membership(membership=membership, union=locked.union)
    if locked.membership == membership:
        return locked
    from_state = locked.membership
    locked.membership = membership
    verified = membership == Member.Membership.VERIFIED
    locked.membership_verified_at = timezone.now() if verified else None
    locked.save(update_fields=["membership", "membership_verified_at"])
    audit_record(
        actor=actor,
        action="member.membership_set",
        target=locked,
        from_state=from_state,
        to_state=membership,
        reason=reason,
    )
    member.membership = locked.membership
    member.membership_verified_at = locked.membership_verified_at
    return locked


# Children


def _years_after(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a year without one
        return day.replace(year=day.year + years, month=3, day=1)


def child_check_birth_date(birth_date: date) -> None:
    today = timezone.localdate()
    if birth_date > today:
        raise MemberError.for_field(
            "birth_date",
            _("The date of birth cannot be in the future."),
            code=MemberErrorCode.BIRTH_DATE_IN_FUTURE,
        )
    if _years_after(birth_date, MAX_CHILD_AGE_YEARS) < today:
        raise MemberError.for_field(
            "birth_date",
            _("The child is older than %(years)d years, beyond childcare age.")
            % {"years": MAX_CHILD_AGE_YEARS},
            code=MemberErrorCode.CHILD_TOO_OLD,
        )


def child_check_id_number(value: str, *, birth_date: date) -> str:
    """Validate an optional ID number: its date of birth must match; no other child has it."""
    if not value or not value.strip():
        return ""
    try:
        validate_id_number(value)
    except ValidationError as error:
        raise MemberError.for_field("id_number", error.messages[0]) from None
    number = normalize_id_number(value)
    if id_number_birth_date(number) != birth_date:
        raise MemberError.for_field(
            "id_number",
            _("The date of birth in the ID number does not match the date of birth entered."),
        )
    if Child.objects.filter(
        **sensitive_lookup("id_number", number, normalize=normalize_id_number)
    ).exists():
        raise MemberError.for_field(
            "id_number",
            _("A child with this resident ID number is already registered."),
            code=MemberErrorCode.DUPLICATE,
        )
    return number


def _check_relation(relation: str, field: str = "relation") -> None:
    if relation not in Guardianship.Relation.values:
        raise MemberError.for_field(field, _("Choose mother, father or other guardian."))


def _check_notice_version(version: str) -> str:
    version = (version or "").strip()
    max_length = GuardianConsent._meta.get_field("notice_version").max_length
    if not version or len(version) > max_length:
        raise MemberError.for_field(
            "consent_notice_version",
            _("Give the version of the privacy notice the guardian agreed to."),
        )
    return version


@transaction.atomic
def child_create(
    *,
    guardian: Member,
    full_name: str,
    birth_date: date,
    sex: str,
    id_number: str = "",
    relation: str,
    consent_notice_version: str,
    second_guardian: Member | None = None,
    second_relation: str = Guardianship.Relation.OTHER,
    actor: User | None,
) -> Child:
    """Store a child after recording the guardian's consent (PIPL Art. 31), in one transaction.

    Everything is checked before the first write, so a refusal leaves nothing behind.
    """
    child_check_birth_date(birth_date)
    number = child_check_id_number(id_number, birth_date=birth_date)
    _check_relation(relation)
    version = _check_notice_version(consent_notice_version)
    if second_guardian is not None:
        _check_relation(second_relation, "second_relation")
        if second_guardian.pk == guardian.pk:
            raise MemberError.for_field(
                "second_guardian", _("The second guardian must be another person.")
            )
    child = Child(full_name=full_name.strip(), birth_date=birth_date, sex=sex)
    set_sensitive(child, "id_number", number, normalize=normalize_id_number)
    clean_or_refuse(child, exclude=["id_number_hash", "consent"])

    consent = GuardianConsent.objects.create(guardian=guardian, notice_version=version)
    audit_record(actor=actor, action="guardian_consent.record", target=consent, to_state=version)
    child.consent = consent
    _save_unique(
        child,
        field="id_number",
        message=_("A child with this resident ID number is already registered."),
    )
    Guardianship.objects.create(child=child, guardian=guardian, relation=relation)
    guardian_ids = [guardian.pk]
    if second_guardian is not None:
        Guardianship.objects.create(child=child, guardian=second_guardian, relation=second_relation)
        guardian_ids.append(second_guardian.pk)
    audit_record(
        actor=actor,
        action="child.create",
        target=child,
        changes={"guardians": guardian_ids, "consent": consent.pk, "notice_version": version},
    )
    return child


@transaction.atomic
def child_add_guardian(
    *, child: Child, guardian: Member, relation: str, actor: User | None
) -> Guardianship:
    """Add a second guardian; a child has at most two. The child row is locked while counting."""
    _check_relation(relation)
    Child.objects.select_for_update().filter(pk=child.pk).get()
    current = set(child.guardianships.values_list("guardian_id", flat=True))
    if guardian.pk in current:
        raise MemberError.for_field(
            "guardian",
            _("This person is already a guardian of the child."),
            code=MemberErrorCode.DUPLICATE,
        )
    if len(current) >= MAX_GUARDIANS:
        raise MemberError.for_field(
            "guardian",
            _("A child can have at most %(count)d guardians.") % {"count": MAX_GUARDIANS},
            code=MemberErrorCode.TOO_MANY_GUARDIANS,
        )
    guardianship = Guardianship.objects.create(child=child, guardian=guardian, relation=relation)
    audit_record(
        actor=actor,
        action="child.guardian_add",
        target=child,
        changes={"guardian": guardian.pk, "relation": relation},
    )
    return guardianship
