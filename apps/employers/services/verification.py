"""What a roster says about people: their employment is confirmed or ended, and a row marked
as a union member verifies their membership. Used by roster imports and by sign-ups."""

from __future__ import annotations

from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext_lazy

from apps.centres.models import RegistrationStatus
from apps.core.services import notice_send
from apps.members.models import Member
from apps.members.services import member_membership_set, member_update

from ..models import Employer, Employment, RosterEntry
from .registry import _lazy_format as lazy_format
from .registry import employment_confirm, employment_end
from .roster_rows import RosterRow, same_name

NAMES_IN_NOTICE = 50

# Filled in when the notice is rendered in its recipient's language (plural forms included).
_lazy_plural = lazy(lambda message, params: message % params, str)


def leavers_settle(employer: Employer, left: list[RosterEntry], *, actor) -> None:
    """End the current employments of people who left and tell the employer's admins.

    Open applications arrive in a later issue: it should look for employments that became
    `left` through action "employment.end" and flag their applications.
    """
    if not left:
        return
    left_hashes = {entry.id_number_hash for entry in left}
    today = timezone.localdate()
    employments = Employment.objects.filter(
        employer=employer, status=Employment.Status.ACTIVE
    ).select_related("member")
    if employer.status != RegistrationStatus.APPROVED:
        employments = employments.none()  # its employments cannot change until reinstated
    for employment in employments:
        if employment.member.id_number_hash not in left_hashes:
            continue
        if employment.start_date is not None and employment.start_date > today:
            continue  # cannot end before it starts; the admin sees them in the notice
        employment_end(employment=employment, end_date=today, actor=actor)
    names = sorted(entry.full_name for entry in left)
    shown = "、".join(names[:NAMES_IN_NOTICE])
    if len(names) > NAMES_IN_NOTICE:
        shown += " …"
    title = _lazy_plural(
        ngettext_lazy(
            "%(count)d person left the roster of %(name)s",
            "%(count)d people left the roster of %(name)s",
            "count",
        ),
        {"count": len(names), "name": employer.name},
    )
    body = lazy_format(
        gettext_lazy(
            "They are marked as left and their employments have ended; "
            "their open applications will be flagged to you. People: %(names)s"
        ),
        names=shown,
    )
    for admin in employer.admins.select_related("user"):
        notice_send(
            recipient=admin.user, title=title, body=body, link="/employer/roster/?status=left"
        )


def verify_from_roster(employer: Employer, rows: list[RosterRow], *, actor) -> None:
    """Confirm pending employments the roster now matches; verify union members it marks."""
    by_hash = {row.id_hash: row for row in rows}
    employments = Employment.objects.filter(
        employer=employer,
        status__in=[Employment.Status.PENDING, Employment.Status.ACTIVE],
    ).select_related("member", "member__union")
    for employment in employments:
        row = by_hash.get(employment.member.id_number_hash)
        if row is None or not same_name(row.full_name, employment.member.full_name):
            continue
        if employment.status == Employment.Status.PENDING:
            employment_confirm(
                employment=employment, actor=actor, verified_by=Employment.VerifiedBy.ROSTER
            )
        if row.union_member:
            membership_verify_from_roster(member=employment.member, employer=employer, actor=actor)


def membership_verify_from_roster(*, member: Member, employer: Employer, actor) -> None:
    """A roster row marked as a union member verifies membership (of the employer's union)."""
    if member.membership == Member.Membership.VERIFIED:
        return
    if member.union_id is None:
        if employer.union_id is None:
            return  # no union to be a member of; union staff can record it later
        member_update(member=member, full_name=member.full_name, union=employer.union, actor=actor)
    member_membership_set(
        member=member,
        membership=Member.Membership.VERIFIED,
        actor=actor,
        reason=_("Marked as a union member on the roster of %(name)s.") % {"name": employer.name},
    )


def roster_match(*, employer: Employer, member: Member) -> RosterEntry | None:
    """The employer's current roster entry with the member's ID number and name, if any."""
    entry = (
        RosterEntry.objects.filter(
            employer=employer,
            id_number_hash=member.id_number_hash,
            status=RosterEntry.Status.ACTIVE,
        )
        .defer("id_number")
        .first()
    )
    if entry is None or not same_name(entry.full_name, member.full_name):
        return None
    return entry
