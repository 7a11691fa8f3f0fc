"""Reads for the portal home pages: the user's organisation, its sign-up status, notices."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db.models import Prefetch

from apps.accounts.models import Role
from apps.core.models import AuditRecord, Notice
from apps.members.models import Child, Member

from ..models import Employer, EmployerAdmin, Employment

NOTICES_SHOWN = 10


def notice_list(*, user, limit: int = NOTICES_SHOWN) -> list[Notice]:
    if not (user and user.is_authenticated):
        return []
    return list(Notice.objects.filter(recipient=user).order_by("-created_at", "-id")[:limit])


def refusal_reason(target) -> str:
    """The reason of the latest refusal of an employer or centre (from its audit trail)."""
    record = (
        AuditRecord.objects.filter(
            target_type=ContentType.objects.get_for_model(target),
            target_id=str(target.pk),
            action__endswith=".refuse",
        )
        .order_by("-at", "-id")
        .first()
    )
    return record.reason if record else ""


def employer_of_admin(*, user) -> Employer | None:
    """The employer an employer-admin account belongs to, whatever its status."""
    if not (user and user.is_authenticated and user.role == Role.EMPLOYER_ADMIN):
        return None
    link = EmployerAdmin.objects.select_related("employer", "employer__area").filter(user=user)
    link = link.first()
    return link.employer if link else None


def parent_member(*, user) -> Member | None:
    """The parent's member record with employments and children (their own family only)."""
    if not (user and user.is_authenticated and user.is_active and user.role == Role.PARENT):
        return None
    employments = Employment.objects.select_related("employer").order_by("-created_at", "-id")
    children = Child.objects.filter(anonymised_at__isnull=True).order_by("birth_date", "id")
    return (
        Member.objects.filter(user=user)
        .select_related("union")
        .prefetch_related(
            Prefetch("employments", queryset=employments),
            Prefetch("children", queryset=children),
        )
        .first()
    )
