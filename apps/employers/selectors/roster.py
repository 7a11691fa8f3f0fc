"""Reads of rosters, roster imports and employments awaiting confirmation, scoped to the user."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet

from apps.accounts.models import Role

from ..models import Employer, Employment, RosterEntry, RosterImport
from .registry import employer_actable_list


def _has_role(user, *roles: str) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.role in roles)


def roster_import_list(*, user) -> QuerySet[RosterImport]:
    """Union staff: every import; an employer admin: their approved employer's; others: none."""
    imports = RosterImport.objects.select_related("employer", "uploaded_by")
    if _has_role(user, Role.UNION_STAFF):
        return imports
    if _has_role(user, Role.EMPLOYER_ADMIN):
        return imports.filter(employer__in=employer_actable_list(user=user).values("pk"))
    return RosterImport.objects.none()


def roster_entry_list(
    *, user, employer: Employer, status: str = "", search: str = ""
) -> QuerySet[RosterEntry]:
    """The employer's roster (ID numbers stay encrypted: callers show `id_number_masked`)."""
    entries = RosterEntry.objects.filter(
        employer=employer, employer__in=employer_actable_list(user=user).values("pk")
    )
    if status:
        entries = entries.filter(status=status)
    if search:
        entries = entries.filter(Q(full_name__icontains=search) | Q(department__icontains=search))
    return entries.order_by("full_name", "id")


def pending_employment_list(*, user, employer: Employer) -> QuerySet[Employment]:
    """Employments awaiting the employer's confirmation, with `on_roster`: whether the roster
    holds the member's ID number (then only the name differs). No child data."""
    on_roster = RosterEntry.objects.filter(
        employer=OuterRef("employer"),
        id_number_hash=OuterRef("member__id_number_hash"),
        status=RosterEntry.Status.ACTIVE,
    )
    return (
        Employment.objects.filter(
            employer=employer,
            employer__in=employer_actable_list(user=user).values("pk"),
            status=Employment.Status.PENDING,
        )
        .select_related("member", "employer")
        .annotate(on_roster=Exists(on_roster))
        .order_by("created_at", "id")
    )


def employment_actable_list(*, user) -> QuerySet[Employment]:
    """Employments the user may confirm or refuse: at employers they may act for."""
    return Employment.objects.filter(
        employer__in=employer_actable_list(user=user).values("pk")
    ).select_related("member", "employer")
