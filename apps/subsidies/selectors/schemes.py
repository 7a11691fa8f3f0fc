"""Scheme, budget and bank-account reads scoped to the asking user.

Union staff see everything. An employer admin sees the schemes covering their employer's
programmes (and only those programmes in them), never budgets. A parent sees their own bank
accounts, a centre or employer admin their organisation's. Nobody else sees anything.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Prefetch, QuerySet

from apps.accounts.models import Role
from apps.centres.models import Centre
from apps.employers.models import Programme
from apps.employers.selectors.programmes import programme_list
from apps.employers.selectors.registry import employer_actable_list
from apps.members.models import Member

from ..models import BankAccount, Budget, SubsidyScheme


def _has_role(user, *roles: str) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.role in roles)


def _with_programmes(schemes: QuerySet[SubsidyScheme], programmes) -> QuerySet[SubsidyScheme]:
    return schemes.prefetch_related(
        Prefetch("programmes", queryset=programmes.only("id", "name").order_by("name", "id"))
    )


def scheme_list(*, user) -> QuerySet[SubsidyScheme]:
    """Union staff: every scheme; an employer admin: schemes covering a programme their employer
    leads or is listed on; anyone else: none."""
    if _has_role(user, Role.UNION_STAFF):
        return _with_programmes(SubsidyScheme.objects.all(), Programme.objects.all())
    if _has_role(user, Role.EMPLOYER_ADMIN):
        own = programme_list(user=user).values("pk")
        covering = SubsidyScheme.programmes.through.objects.filter(
            subsidyscheme_id=OuterRef("pk"), programme_id__in=own
        )
        schemes = SubsidyScheme.objects.filter(Exists(covering))
        return _with_programmes(schemes, Programme.objects.filter(pk__in=own))
    return SubsidyScheme.objects.none()


def scheme_manageable_list(*, user) -> QuerySet[SubsidyScheme]:
    """Schemes the user may change: union staff only."""
    if _has_role(user, Role.UNION_STAFF):
        return scheme_list(user=user)
    return SubsidyScheme.objects.none()


def budget_list(*, user) -> QuerySet[Budget]:
    """Budgets are the funders' money: union staff only."""
    if _has_role(user, Role.UNION_STAFF):
        return Budget.objects.select_related("scheme")
    return Budget.objects.none()


def bank_account_list(*, user) -> QuerySet[BankAccount]:
    """Union staff: every account; a parent: their own; a centre or employer admin: their
    organisation's (current and replaced ones)."""
    accounts = BankAccount.objects.select_related("member", "centre", "employer", "checked_by")
    if _has_role(user, Role.UNION_STAFF):
        return accounts
    if _has_role(user, Role.PARENT):
        return accounts.filter(member__user=user)
    if _has_role(user, Role.CENTRE_ADMIN):
        return accounts.filter(centre__admins__user=user)
    if _has_role(user, Role.EMPLOYER_ADMIN):
        return accounts.filter(employer__admins__user=user)
    return BankAccount.objects.none()


def bank_account_owner_for(*, user) -> dict | None:
    """Whose account the user enters, as service keyword arguments (`{"member": member}`), or
    None: a parent without a member record, an admin without an organisation, a suspended
    employer (it is paid nothing), union staff and reviewers."""
    if _has_role(user, Role.PARENT):
        member = Member.objects.filter(user=user).first()
        return {"member": member} if member else None
    if _has_role(user, Role.CENTRE_ADMIN):
        centre = Centre.objects.filter(admins__user=user).first()
        return {"centre": centre} if centre else None
    if _has_role(user, Role.EMPLOYER_ADMIN):
        employer = employer_actable_list(user=user).first()
        return {"employer": employer} if employer else None
    return None
