"""Sign-ups: an employer with its first admin, a parent with their employment.

Each sign-up is one transaction: the account, the organisation or member and the links are
all written, or none of them. The employer waits for union staff; the parent is verified at
once when the employer's roster holds their ID number and name.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.accounts.models import Role, User
from apps.accounts.services import user_create
from apps.centres.models import RegistrationStatus
from apps.core.services import audit_record, notice_send
from apps.core.validators import normalize_mobile, validate_mobile
from apps.members.models import Member
from apps.members.services import member_check_id_number, member_check_mobile, member_create

from ..models import Employer, Employment
from .registry import (
    EmployerError,
    _lazy_format,
    employer_admin_add,
    employer_check,
    employer_create,
    employment_confirm,
    employment_create,
)
from .verification import membership_verify_from_roster, roster_match

# Bump when the text of the privacy notice shown on the parent sign-up page changes.
PRIVACY_NOTICE_VERSION = "2026-01"
_LANDLINE_RE = re.compile(r"0[0-9]{2,3}-?[0-9]{7,8}")


def check_contact_phone(value: str) -> str:
    """A mainland mobile number or a landline with its area code (0315-7600000)."""
    value = (value or "").strip()
    if _LANDLINE_RE.fullmatch(value):
        return value
    try:
        validate_mobile(value)
    except ValidationError:
        raise EmployerError.for_field(
            "contact_phone",
            _("Enter a mobile number or a landline with its area code, e.g. 0315-7600000."),
        ) from None
    return normalize_mobile(value)


def union_staff_notify(*, title, link: str) -> None:
    """Tell every active union staff member that something waits for them."""
    for staff in User.objects.filter(role=Role.UNION_STAFF, is_active=True).order_by("pk"):
        notice_send(recipient=staff, title=title, link=link)


@transaction.atomic
def employer_signup(
    *,
    name: str,
    credit_code: str,
    kind: str,
    area,
    address: str,
    contact_name: str,
    contact_phone: str,
    username: str,
    password: str,
) -> tuple[Employer, User]:
    """An employer and its first admin account; the employer waits for union staff approval."""
    employer_check(credit_code=credit_code, union=None)
    phone = check_contact_phone(contact_phone)
    if not (contact_name or "").strip():
        raise EmployerError.for_field("contact_name", _("Enter the contact person's name."))
    user = user_create(
        username=username.strip(),
        password=password,
        role=Role.EMPLOYER_ADMIN,
        full_name=contact_name.strip(),
    )
    employer = employer_create(
        name=name,
        credit_code=credit_code,
        kind=kind,
        address=address,
        area=area,
        contact_name=contact_name,
        contact_phone=phone,
        actor=user,
    )
    employer_admin_add(employer=employer, user=user, actor=user)
    union_staff_notify(
        title=_lazy_format(gettext_lazy("%(name)s signed up as an employer"), name=employer.name),
        link=f"/admin/employers/employer/{employer.pk}/change/",
    )
    return employer, user


def _require_signup_employer(employer: Employer | None) -> Employer:
    if employer is None or employer.status != RegistrationStatus.APPROVED:
        raise EmployerError.for_field("employer", _("Choose an approved employer."))
    return employer


@transaction.atomic
def employment_claim(
    *, member: Member, employer: Employer, actor: User | None, department: str = ""
) -> Employment:
    """The member says they work at `employer`: confirmed at once on a roster match (ID number
    and name), otherwise pending and the employer's admins are told."""
    _require_signup_employer(employer)
    entry = roster_match(employer=employer, member=member)
    employment = employment_create(
        member=member,
        employer=employer,
        department=entry.department if entry else department,
        start_date=entry.start_date if entry else None,
        actor=actor,
    )
    if entry is not None:
        employment = employment_confirm(
            employment=employment, actor=actor, verified_by=Employment.VerifiedBy.ROSTER
        )
        if entry.union_member:
            membership_verify_from_roster(member=member, employer=employer, actor=actor)
        return employment
    title = _lazy_format(
        gettext_lazy("%(name)s asks you to confirm that they work at %(employer)s"),
        name=member.full_name,
        employer=employer.name,
    )
    for admin in employer.admins.select_related("user"):
        notice_send(recipient=admin.user, title=title, link="/employer/employees/pending/")
    return employment


@transaction.atomic
def parent_signup(
    *,
    full_name: str,
    id_number: str,
    mobile: str,
    employer: Employer | None,
    privacy_notice_version: str,
    union_member: bool = False,
    password: str = "",
    user: User | None = None,
) -> tuple[Member, Employment]:
    """A parent account (its user name is the mobile number) unless `user` is given, the
    member record and the employment claim. Nothing is kept if any part is refused."""
    if privacy_notice_version != PRIVACY_NOTICE_VERSION:
        raise EmployerError.for_field(
            "privacy_notice", _("Read and accept the privacy notice to sign up.")
        )
    if not (full_name or "").strip():
        raise EmployerError.for_field("full_name", _("Enter your full name."))
    member_check_id_number(id_number)
    number = member_check_mobile(mobile)
    employer = _require_signup_employer(employer)
    if user is None:
        if User.objects.filter(username=number).exists():
            raise EmployerError.for_field(
                "mobile", _("An account with this mobile number exists: sign in instead.")
            )
        user = user_create(
            username=number, password=password, role=Role.PARENT, full_name=full_name.strip()
        )
    member = member_create(
        user=user,
        full_name=full_name,
        id_number=id_number,
        mobile=number,
        union=employer.union if union_member else None,
        actor=user,
    )
    audit_record(
        actor=user,
        action="member.privacy_consent",
        target=member,
        to_state=privacy_notice_version,
    )
    employment = employment_claim(member=member, employer=employer, actor=user)
    member.refresh_from_db(fields=["membership", "membership_verified_at", "union"])
    return member, employment
