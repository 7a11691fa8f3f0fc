"""Privacy: a parent's copy of their family's data (PIPL Art. 45) and the anonymisation of a
child's personal data once it is no longer needed (PIPL Art. 47), both audited.

The export gives the parent their own and their children's resident ID numbers in full: it is
the parent's own data, and a guardian exercises a minor's rights (Art. 31), so a masked copy
would not be a copy. Other people's numbers (a second guardian's) are never in it.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet, Value
from django.db.models.functions import Replace
from django.utils import timezone

from apps.accounts.models import User
from apps.core.models import Notice
from apps.core.pii import set_sensitive
from apps.core.services import audit_record
from apps.employers.models import Employment
from apps.employers.pricing import format_month
from apps.members.models import Child, GuardianConsent, Guardianship, Member

from ..models import Application, Attendance, Enrolment

EXPORT_FORMAT_VERSION = 1
ANONYMISED_NAME = "已匿名"
DEFAULT_RETENTION_DAYS = 365
# A replacement shorter than this would mangle unrelated words in notices.
MIN_NAME_LENGTH_TO_SCRUB = 2


def _text(value):
    """JSON-safe text for dates, times and money (money never becomes a float)."""
    if isinstance(value, datetime):
        return timezone.localtime(value).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _row(instance, fields: list[str], **extra) -> dict:
    return {name: _text(getattr(instance, name)) for name in fields} | {
        name: _text(value) for name, value in extra.items()
    }


# Export


def _member_part(member: Member) -> dict:
    return _row(
        member,
        ["id", "full_name", "id_number", "mobile", "membership", "membership_verified_at"],
        union=member.union.name if member.union else None,
        created_at=member.created_at,
    )


def _account_part(user: User) -> dict:
    return _row(user, ["username", "full_name", "email", "language", "date_joined", "last_login"])


def _children_part(children: list[Child], member: Member) -> list[dict]:
    return [
        _row(
            child,
            ["id", "full_name", "birth_date", "sex", "id_number", "created_at", "anonymised_at"],
            consent=child.consent_id,
            guardians=[
                {
                    "member": link.guardian_id,
                    "full_name": link.guardian.full_name,
                    "relation": link.relation,
                    "is_me": link.guardian_id == member.pk,
                }
                for link in child.guardianships.all()
            ],
        )
        for child in children
    ]


def _applications_part(applications: QuerySet[Application], member: Member) -> list[dict]:
    fields = ["id", "child_id", "programme_id", "centre_id", "employer_id", "age_class"]
    fields += ["start_month", "state", "priority_groups", "submitted_at", "state_changed_at"]
    fields += ["offer_expires_at", "reason", "quote"]
    return [
        _row(
            application,
            fields,
            programme_name=application.programme.name,
            centre_name=application.centre.name,
            employer_name=application.employer.name if application.employer else None,
            applied_by_me=application.applicant_id == member.pk,
        )
        for application in applications
    ]


def _enrolments_part(enrolments: QuerySet[Enrolment]) -> list[dict]:
    fields = ["id", "application_id", "child_id", "programme_id", "centre_id", "status"]
    fields += ["start_date", "end_date", "market_price", "parent_share_percent", "parent_fee"]
    fields += ["employer_part", "subsidy_amount", "subsidy_basis", "subsidy_funder"]
    fields += ["payment_mode", "created_at"]
    return [
        _row(
            enrolment,
            fields,
            programme_name=enrolment.programme.name,
            centre_name=enrolment.centre.name,
            class_name=enrolment.centre_class.name,
            age_class=enrolment.centre_class.age_class,
        )
        for enrolment in enrolments
    ]


def _attendance_part(rows: QuerySet[Attendance]) -> list[dict]:
    return [
        _row(
            row,
            ["enrolment_id", "days_open", "days_attended", "reported_at"],
            child_id=row.enrolment.child_id,
            month=format_month(row.month),
        )
        for row in rows
    ]


def _family(member: Member) -> dict:
    children = list(
        Child.objects.filter(guardianships__guardian=member)
        .prefetch_related(
            Prefetch(
                "guardianships",
                queryset=Guardianship.objects.select_related("guardian").order_by("id"),
            )
        )
        .order_by("birth_date", "id")
    )
    child_ids = [child.pk for child in children]
    mine = Q(child_id__in=child_ids) | Q(applicant=member)
    applications = (
        Application.objects.filter(mine)
        .select_related("programme", "centre", "employer")
        .order_by("submitted_at", "id")
    )
    enrolments = (
        Enrolment.objects.filter(child_id__in=child_ids)
        .select_related("programme", "centre", "centre_class")
        .order_by("start_date", "id")
    )
    attendance = (
        Attendance.objects.filter(enrolment__child_id__in=child_ids)
        .select_related("enrolment")
        .order_by("month", "enrolment_id")
    )
    employments = Employment.objects.filter(member=member).select_related("employer")
    return {
        "member": _member_part(member),
        "consents": [
            _row(consent, ["id", "notice_version", "given_at"])
            for consent in GuardianConsent.objects.filter(guardian=member).order_by("given_at")
        ],
        "children": _children_part(children, member),
        "guardianships": [
            _row(link, ["child_id", "relation"], guardian=link.guardian_id)
            for link in Guardianship.objects.filter(guardian=member).order_by("child_id")
        ],
        "employments": [
            _row(
                employment,
                ["status", "department", "start_date", "end_date", "created_at"],
                employer=employment.employer.name,
            )
            for employment in employments.order_by("created_at", "id")
        ],
        "applications": _applications_part(applications, member),
        "enrolments": _enrolments_part(enrolments),
        "attendance": _attendance_part(attendance),
    }


@transaction.atomic
def family_export(*, user: User) -> dict:
    """Everything the portal holds about the parent and their children, as JSON-ready data.
    The download itself is audited (who and when, never what)."""
    member = Member.objects.select_related("union").filter(user=user).first()
    empty = {key: [] for key in ("consents", "children", "guardianships", "employments")}
    empty |= {key: [] for key in ("applications", "enrolments", "attendance")}
    data = {
        "format_version": EXPORT_FORMAT_VERSION,
        "exported_at": _text(timezone.now()),
        "account": _account_part(user),
        **(({"member": None} | empty) if member is None else _family(member)),
        "notices": [
            _row(notice, ["title", "body", "link", "created_at", "read_at"])
            for notice in Notice.objects.filter(recipient=user).order_by("created_at", "id")
        ],
    }
    audit_record(actor=user, action="family.export", target=member or user)
    return data


# Anonymisation


def retention_days() -> int:
    return getattr(settings, "CHILD_DATA_RETENTION_DAYS", DEFAULT_RETENTION_DAYS)


def children_due_for_anonymisation(*, today: date | None = None) -> QuerySet[Child]:
    """Children not yet anonymised whose last enrolment ended more than the retention period
    ago, with no running enrolment, no open application and no month a payout has yet to use."""
    cutoff = (today or timezone.localdate()) - timedelta(days=retention_days())
    enrolments = Enrolment.objects.filter(child=OuterRef("pk"))
    return (
        Child.objects.filter(anonymised_at__isnull=True)
        .filter(Exists(enrolments))
        .exclude(
            Exists(enrolments.filter(Q(status=Enrolment.Status.ACTIVE) | Q(end_date__gte=cutoff)))
        )
        .exclude(
            Exists(
                Application.objects.filter(child=OuterRef("pk"), state__in=Application.OPEN_STATES)
            )
        )
        .exclude(
            Exists(
                Attendance.objects.filter(
                    enrolment__child=OuterRef("pk"), used_by_payout_run_id__isnull=True
                )
            )
        )
        .order_by("pk")
    )


def _scrub_notices(child: Child, name: str) -> int:
    if len(name) < MIN_NAME_LENGTH_TO_SCRUB or name == ANONYMISED_NAME:
        return 0
    recipients = User.objects.filter(member__guardianships__child=child)
    return (
        Notice.objects.filter(recipient__in=recipients)
        .filter(Q(title__contains=name) | Q(body__contains=name))
        .update(
            title=Replace("title", Value(name), Value(ANONYMISED_NAME)),
            body=Replace("body", Value(name), Value(ANONYMISED_NAME)),
        )
    )


@transaction.atomic
def child_anonymise(*, child_id: int, actor: User | None = None, today: date | None = None) -> bool:
    """Replace the child's name, clear their ID number, keep only the month of birth (age in
    months is what reports need), in the child row, its history rows and their guardians'
    notices. Rechecked under a row lock; False when the child is not (or no longer) due."""
    child = Child.objects.select_for_update().filter(pk=child_id).first()
    if (
        child is None
        or not children_due_for_anonymisation(today=today).filter(pk=child.pk).exists()
    ):
        return False
    name = child.full_name
    child.full_name = ANONYMISED_NAME
    child.birth_date = child.birth_date.replace(day=1)
    set_sensitive(child, "id_number", "")
    child.anonymised_at = timezone.now()
    child.full_clean(exclude=["consent"])
    child._history_user = actor if getattr(actor, "is_authenticated", False) else None
    child._change_reason = "anonymised"
    child.save()
    history_rows = Child.history.filter(id=child.pk).update(
        full_name=ANONYMISED_NAME, birth_date=child.birth_date
    )
    notices = _scrub_notices(child, name)
    audit_record(
        actor=actor,
        action="child.anonymise",
        target=child,
        to_state="anonymised",
        reason=f"retention {retention_days()} days",
        changes={
            "fields": ["full_name", "birth_date", "id_number"],
            "history_rows": history_rows,
            "notices": notices,
        },
    )
    return True


def children_anonymise_due(*, today: date | None = None, limit: int | None = None) -> int:
    """Anonymise every child now due, one transaction each; safe to run twice (returns 0)."""
    ids = list(children_due_for_anonymisation(today=today).values_list("pk", flat=True)[:limit])
    return sum(child_anonymise(child_id=child_id, today=today) for child_id in ids)
