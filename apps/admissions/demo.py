"""Demo admissions, all through the admissions services (states, place counters, notices and the
audit trail stay right): enrolments in 21 caring-childcare classes as the report counts
(截至目前，迁安市共开设各类爱心托育托班21个), applications in every resting state, and the
last two months' attendance. Runs after the employers' demo; idempotent.

Enrolments that began two months ago are made the way they happened: the services are run
with the clock set back (`_as_of`), so the offer, the acceptance, the start date, the notices
and the audit records all carry that day. Nothing is written around the services.
"""

from __future__ import annotations

import calendar
import secrets
from contextlib import contextmanager
from datetime import date, datetime, time, timedelta
from unittest import mock

from django.db.models import QuerySet
from django.utils import timezone

from apps.accounts.models import Role, User
from apps.accounts.services import user_create
from apps.centres.models import AgeClass, Centre, CentreClass
from apps.core.validators import make_id_number
from apps.employers.models import Employer, Employment, Programme
from apps.employers.pricing import (
    age_classes_for,
    age_in_months,
    format_month,
    month_start,
    next_month,
)
from apps.employers.selectors.programmes import programme_offer, programme_refusal
from apps.employers.services.registry import employment_confirm, employment_create
from apps.members.models import Child, Member, Union
from apps.members.services import child_create, member_create, member_membership_set

from .models import Application, Attendance, Enrolment
from .services import applications, enrolments, offers
from .services.attendance import AttendanceEntry, attendance_report_batch
from .services.places import next_in_line

CARING_CLASSES = 21
CHILDCARE_AGE_CLASSES = (AgeClass.INFANT, AgeClass.TODDLER, AgeClass.OLDER_TODDLER, AgeClass.MIXED)
# Completed months of age on the start month's first day that fit each age class.
AGE_MONTHS = {
    AgeClass.INFANT: 8,
    AgeClass.TODDLER: 18,
    AgeClass.OLDER_TODDLER: 30,
    AgeClass.MIXED: 24,
    AgeClass.KG_SMALL: 42,
    AgeClass.KG_MIDDLE: 54,
    AgeClass.KG_LARGE: 66,
}
FAMILY_USERNAME = "demo_family_{:02d}"
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
GIVEN = ["子涵", "浩宇", "欣怡", "梓萱", "宇轩", "一诺", "雨桐", "思远", "佳怡", "俊熙", "若曦"]
PARENT_GIVEN = ["丽娜", "建军", "海燕", "志刚", "秀英", "晓东", "春梅", "国强", "桂芳", "文博"]


@contextmanager
def _as_of(moment: datetime):
    """Run services as if it were `moment` (every timestamp and 'today' they read)."""
    with mock.patch("django.utils.timezone.now", return_value=moment):
        yield


def _months_before(month: date, months: int) -> date:
    total = month.year * 12 + month.month - 1 - months
    return date(total // 12, total % 12 + 1, 1)


def _at(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def caring_classes() -> QuerySet[CentreClass]:
    """Classes holding at least one running programme enrolment: the report's 托班."""
    return CentreClass.objects.filter(enrolments__status=Enrolment.Status.ACTIVE).distinct()


# Families


def _eligible_employer(programme: Programme) -> Employer | None:
    if programme.delivery_model == Programme.DeliveryModel.FEDERATION:
        return None
    # Co-built programmes are for the tenants' workers: prefer a listed employer.
    listed = [e for e in programme.employers.order_by("id") if e.pk != programme.lead_employer_id]
    return listed[0] if listed else programme.lead_employer


def _family(n: int, *, employer: Employer | None, birth: date, by_roster: bool = True) -> Member:
    """Demo family `n` (an account, a verified member, a child), made once."""
    username = FAMILY_USERNAME.format(n)
    existing = Member.objects.filter(user__username=username).first()
    if existing is not None:
        return existing
    name = SURNAMES[n % 20] + PARENT_GIVEN[n % len(PARENT_GIVEN)]
    # The city's other parents: they act through the services, nobody signs in as them.
    password = secrets.token_urlsafe(24)
    user = user_create(username=username, password=password, role=Role.PARENT, full_name=name)
    union = (employer.union if employer else None) or Union.objects.filter(
        kind="grassroots"
    ).first()
    member = member_create(
        user=user,
        full_name=name,
        id_number=make_id_number(
            birth=date(1988 + n % 8, 1 + n % 12, 1 + n % 28), sequence=900 + n
        ),
        mobile=f"1380316{n:04d}",
        union=union,
        actor=None,
    )
    member_membership_set(member=member, membership=Member.Membership.VERIFIED, actor=None)
    if employer is not None:
        employment = employment_create(member=member, employer=employer, actor=None)
        verified_by = Employment.VerifiedBy.ROSTER if by_roster else Employment.VerifiedBy.EMPLOYER
        employment_confirm(employment=employment, actor=None, verified_by=verified_by)
    child_create(
        guardian=member,
        full_name=SURNAMES[(n * 3) % 20] + GIVEN[n % len(GIVEN)],
        birth_date=birth,
        sex="F" if n % 2 else "M",
        relation="mother" if n % 2 else "father",
        consent_notice_version="2026-01",
        actor=None,
    )
    return member


def _next_family_number() -> int:
    return User.objects.filter(username__startswith="demo_family_").count() + 1


def _child(member: Member) -> Child:
    return Child.objects.filter(guardianships__guardian=member).order_by("id").first()


def _apply(member: Member, programme: Programme, centre: Centre, age_class: str, month: date):
    return applications.application_submit(
        member=member,
        child=_child(member),
        programme=programme,
        centre=centre,
        age_class=age_class,
        start_month=month,
        actor=member.user,
    )


# Enrolments in the report's 21 classes


def _lines(month: date, *, free_only: bool = True, childcare_only: bool = True):
    """(programme, centre, class) for the open classes of approved programmes, employers'
    programmes first; by default childcare classes with a free place and nobody waiting."""
    programmes = Programme.objects.filter(status=Programme.Status.APPROVED).order_by("id")
    ordered = sorted(programmes, key=lambda p: p.delivery_model == "federation")
    for programme in ordered:
        for centre in programme.centres.filter(status="approved").order_by("name", "id"):
            classes = centre.classes.filter(is_active=True)
            if childcare_only:
                classes = classes.filter(age_class__in=CHILDCARE_AGE_CLASSES)
            for centre_class in classes.order_by("age_class", "name", "id"):
                age_class = centre_class.age_class
                offer = programme_offer(
                    programme=programme, centre=centre, age_class=age_class, month=month
                )
                if offer is None:
                    continue
                waiting = next_in_line(
                    centre_id=centre.pk, age_class=age_class, skip_programmes=set()
                )
                if not free_only or (offer.free_places > 0 and waiting is None):
                    yield programme, centre, centre_class


def _enrol(member: Member, programme, centre, age_class: str, month: date) -> Enrolment | None:
    application = _apply(member, programme, centre, age_class, month)
    if application.state != Application.State.OFFERED:
        return None
    return offers.offer_accept(application=application, actor=member.user)


def _fits(child: Child, age_class: str, month: date) -> bool:
    return age_class in age_classes_for(age_in_months(child.birth_date, month))


def _apply_for_demo_parent(username: str, months: list[date], *, enrol: bool) -> None:
    """Apply for the demo account's child where a programme open to them has a fitting class,
    in the first month that has one; accept the offer if `enrol`."""
    member = Member.objects.filter(user__username=username).first()
    child = _child(member) if member else None
    if child is None or child.applications.exists():
        return
    for month in months:
        for programme, centre, centre_class in _lines(month, free_only=enrol):
            refused = programme_refusal(member=member, programme=programme, month=month)
            if refused is None and _fits(child, centre_class.age_class, month):
                application = _apply(member, programme, centre, centre_class.age_class, month)
                if enrol and application.state == Application.State.OFFERED:
                    offers.offer_accept(application=application, actor=member.user)
                return


def _fill_caring_classes(start: date, stdout) -> None:
    """Enrol one new family's child in each further class until the report's count is met."""
    used = set(caring_classes().values_list("pk", flat=True))
    for programme, centre, centre_class in list(_lines(start)):
        if len(used) >= CARING_CLASSES:
            break
        if centre_class.pk in used:
            continue
        member = _family(
            _next_family_number(),
            employer=_eligible_employer(programme),
            birth=_months_before(start, AGE_MONTHS[centre_class.age_class]),
        )
        if _enrol(member, programme, centre, centre_class.age_class, start):
            used.add(centre_class.pk)
    if len(used) != CARING_CLASSES:
        stdout.write(f"  warning: {len(used)} caring-childcare classes, not {CARING_CLASSES}")


def _extra(start: date, *, fullest: bool) -> tuple | None:
    """A line of a class already counted: the one with fewest free places (to fill it) or most."""
    used = set(caring_classes().values_list("pk", flat=True))
    lines = []
    for programme, centre, centre_class in _lines(start):
        if centre_class.pk in used:
            offer = programme_offer(
                programme=programme, centre=centre, age_class=centre_class.age_class, month=start
            )
            lines.append((offer.free_places, centre_class.pk, programme, centre, centre_class))
    if not lines:
        return None
    chosen = (
        min(lines, key=lambda line: line[:2]) if fullest else max(lines, key=lambda line: line[:2])
    )
    return chosen[2:]


def _free_places(programme, centre, centre_class, month: date) -> int:
    offer = programme_offer(
        programme=programme, centre=centre, age_class=centre_class.age_class, month=month
    )
    return offer.free_places if offer else 0


def _history_extras(start: date) -> dict:
    """Fill the used line with the fewest free places (so the next applicant waits) and add a
    child who will leave to the roomiest; both as of the history day."""
    full, roomy = _extra(start, fullest=True), _extra(start, fullest=False)
    if full is None:
        return {}
    programme, centre, centre_class = full
    for _place in range(_free_places(programme, centre, centre_class, start)):
        member = _family(
            _next_family_number(),
            employer=_eligible_employer(programme),
            birth=_months_before(start, AGE_MONTHS[centre_class.age_class]),
        )
        _enrol(member, programme, centre, centre_class.age_class, start)
    programme, centre, centre_class = roomy
    member = _family(
        _next_family_number(),
        employer=_eligible_employer(programme),
        birth=_months_before(start, AGE_MONTHS[centre_class.age_class]),
    )
    leaver = _enrol(member, programme, centre, centre_class.age_class, start)
    return {"full": full, "roomy": roomy, "leaver": leaver}


# Applications in every resting state (employment_confirmed lasts only inside a move)

SCENARIO_FAMILY = {"expired": 81, "offered": 82, "declined": 83, "withdrawn": 84}
SCENARIO_FAMILY |= {"waiting": 85, "submitted": 86, "rejected": 87}
REJECTION_REASON = "经核实，申请人不在本单位工作。"


def _scenario_family(state: str, line: tuple, month: date, *, by_roster: bool = True) -> Member:
    programme, _centre, centre_class = line
    return _family(
        SCENARIO_FAMILY[state],
        employer=_eligible_employer(programme),
        birth=_months_before(month, AGE_MONTHS[centre_class.age_class]),
        by_roster=by_roster,
    )


def _scenario_apply(state: str, line: tuple, month: date, **family) -> Application:
    member = _scenario_family(state, line, month, **family)
    programme, centre, centre_class = line
    return _apply(member, programme, centre, centre_class.age_class, month)


def _employer_line(month: date) -> tuple | None:
    """An employer's programme line whose employer has an admin (to confirm or reject)."""
    for programme, centre, centre_class in _lines(month, free_only=False, childcare_only=False):
        employer = _eligible_employer(programme)
        if employer is not None and employer.admins.exists():
            return programme, centre, centre_class
    return None


def _present_states(this_month: date, history: dict) -> None:
    month = next_month(this_month)
    roomy, full, leaver = history["roomy"], history["full"], history["leaver"]
    with _as_of(timezone.now() - timedelta(days=10)):
        expiring = _scenario_apply("expired", roomy, month)
    offers.offer_expire(application_id=expiring.pk)
    if leaver is not None:
        member = Member.objects.get(pk=leaver.application.applicant_id)
        last_day = this_month - timedelta(days=1)
        enrolments.enrolment_end(enrolment=leaver, end_date=last_day, actor=member.user)
    _scenario_apply("offered", roomy, month)
    declined = _scenario_apply("declined", roomy, month)
    offers.offer_decline(application=declined, actor=declined.applicant.user)
    withdrawn = _scenario_apply("withdrawn", roomy, month)
    applications.application_withdraw(application=withdrawn, actor=withdrawn.applicant.user)
    _scenario_apply("waiting", full, month)
    line = _employer_line(month)
    if line is not None:
        _scenario_apply("submitted", line, month, by_roster=False)
        rejected = _scenario_apply("rejected", line, month, by_roster=False)
        admin = _eligible_employer(line[0]).admins.select_related("user").first().user
        applications.application_reject(application=rejected, actor=admin, reason=REJECTION_REASON)
    later = [month]
    for _step in range(11):
        later.append(next_month(later[-1]))
    _apply_for_demo_parent("parent2", later, enrol=False)


# Attendance for the last two months


def _weekdays(month: date) -> int:
    days = calendar.monthrange(month.year, month.month)[1]
    return sum(1 for day in range(days) if month.replace(day=day + 1).weekday() < 5)


def _report_attendance(months: list[date]) -> int:
    """Each enrolment's figures for `months`, reported by its centre's admin when there is one."""
    running = Enrolment.objects.filter(start_date__lt=next_month(months[-1])).exclude(
        end_date__lt=months[0]
    )
    by_centre: dict[int, list[AttendanceEntry]] = {}
    for enrolment in running.order_by("centre_id", "id"):
        for month in months:
            if enrolment.start_date >= next_month(month) or (
                enrolment.end_date and enrolment.end_date < month
            ):
                continue
            days_open = _weekdays(month)
            attended = max(0, days_open - (enrolment.pk + month.month) % 5)
            by_centre.setdefault(enrolment.centre_id, []).append(
                AttendanceEntry(enrolment.pk, month, days_open, attended, key=str(enrolment.pk))
            )
    for centre_id, entries in by_centre.items():
        admin = User.objects.filter(centre_admin__centre_id=centre_id).order_by("id").first()
        attendance_report_batch(entries=entries, actor=admin)
    return sum(len(entries) for entries in by_centre.values())


def seed(*, stdout) -> None:
    if not Programme.objects.filter(status=Programme.Status.APPROVED).exists():
        stdout.write("  skipped: no approved programme (run the employers' demo first)")
        return
    this_month = month_start(timezone.localdate())
    start = _months_before(this_month, 2)
    first_run = not User.objects.filter(username__startswith="demo_family_").exists()
    history = {}
    with _as_of(_at(_months_before(this_month, 3).replace(day=20))):
        _apply_for_demo_parent("parent", [start], enrol=True)
        _fill_caring_classes(start, stdout)
        if first_run:
            history = _history_extras(start)
    if history:
        _present_states(this_month, history)
    reported = _report_attendance([start, next_month(start)])
    states = sorted(set(Application.objects.values_list("state", flat=True)))
    stdout.write(
        f"  caring-childcare classes: {caring_classes().count()}, "
        f"enrolments: {Enrolment.objects.count()}, applications by state: {', '.join(states)}, "
        f"attendance rows: {Attendance.objects.count()} ({reported} for "
        f"{format_month(start)} and {format_month(next_month(start))})"
    )
