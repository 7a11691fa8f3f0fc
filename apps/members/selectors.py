"""Reads of unions, members and children, scoped to the asking user."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from apps.accounts.models import Role

from .models import Child, Guardianship, Member, Union


def _has_role(user, *roles: str) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.role in roles)


def union_list(*, user) -> QuerySet[Union]:
    """Every signed-in user sees active unions; union staff also see inactive ones."""
    if not _has_role(user, *Role.values):
        return Union.objects.none()
    unions = Union.objects.select_related("parent", "area")
    if user.role != Role.UNION_STAFF:
        unions = unions.filter(is_active=True)
    return unions


def member_me(*, user) -> QuerySet[Member]:
    """The parent's own member record (zero or one row)."""
    if not _has_role(user, Role.PARENT):
        return Member.objects.none()
    return Member.objects.filter(user=user).select_related("union", "user")


def _with_guardians(children: QuerySet[Child]) -> QuerySet[Child]:
    guardianships = Guardianship.objects.select_related("guardian").order_by("id")
    return children.select_related("consent").prefetch_related(
        Prefetch("guardianships", queryset=guardianships)
    )


def child_list(*, user) -> QuerySet[Child]:
    """Parents see the children they are a guardian of; union staff all; nobody else any."""
    if _has_role(user, Role.UNION_STAFF):
        return _with_guardians(Child.objects.all())
    if _has_role(user, Role.PARENT):
        return _with_guardians(Child.objects.filter(guardianships__guardian__user=user))
    return Child.objects.none()
