"""Reads of employers and their employees, scoped to the asking user. Never children."""

from __future__ import annotations

from django.db.models import QuerySet

from apps.accounts.models import Role
from apps.centres.models import RegistrationStatus

from ..models import Employer, Employment


def _has_role(user, *roles: str) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.role in roles)


def employer_list(*, user) -> QuerySet[Employer]:
    """Union staff: all; an employer admin: their own (any status, so they see it);
    a parent: employers they have an employment at; anyone else: none."""
    employers = Employer.objects.select_related("area", "union")
    if _has_role(user, Role.UNION_STAFF):
        return employers
    if _has_role(user, Role.EMPLOYER_ADMIN):
        return employers.filter(admins__user=user)
    if _has_role(user, Role.PARENT):
        return employers.filter(employments__member__user=user)
    return Employer.objects.none()


def employer_actable_list(*, user) -> QuerySet[Employer]:
    """Employers the user may act for: union staff all; an admin only their approved employer,
    so suspending an employer locks its admins out."""
    employers = Employer.objects.select_related("area", "union")
    if _has_role(user, Role.UNION_STAFF):
        return employers
    if _has_role(user, Role.EMPLOYER_ADMIN):
        return employers.filter(admins__user=user, status=RegistrationStatus.APPROVED)
    return Employer.objects.none()


def employee_list(*, user, employer: Employer) -> QuerySet[Employment]:
    """The employer's employments with member details (masked by the caller), no child data."""
    return (
        Employment.objects.filter(
            employer=employer, employer__in=employer_actable_list(user=user).values("pk")
        )
        .select_related("member", "member__union")
        .order_by("member__full_name", "id")
    )
