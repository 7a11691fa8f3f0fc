"""Rows for the report tests, written straight through the models (the reports only read), with
every date the figures look at set explicitly. The test period is January to June 2025."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from itertools import count
from types import SimpleNamespace

from django.utils import timezone

from apps.admissions.models import Application, Attendance, Enrolment
from apps.centres.models import Centre
from apps.pilots.models import Application as PilotApplication
from apps.pilots.models import EvaluationRound, UnitResult
from apps.reports.periods import Period
from apps.subsidies.models import PayoutLine, PayoutRun
from tests.admissions.factories import PlaceAgreementFactory, ProgrammeFactory, enrolment_for
from tests.centres.factories import CentreClassFactory, CentreFactory, FederationFactory
from tests.employers.factories import EmployerFactory
from tests.members.factories import ChildFactory, MemberFactory
from tests.subsidies.factories import BudgetFactory, SchemeFactory
from tests.welfare.factories import CareClassFactory, MotherRoomFactory

PERIOD = Period(date(2025, 1, 1), date(2025, 6, 1))
BEFORE = date(2024, 11, 15)
INSIDE = date(2025, 3, 10)
AFTER = date(2025, 8, 1)
QUERY = {"period_start": "2025-01", "period_end": "2025-06"}
History = Application.history.model

_numbers = count(1)


def at(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def caring_centre(*, employer=None, centre=None, **programme_fields) -> SimpleNamespace:
    """A centre with one class, in an approved programme led by `employer` (a new one if None)."""
    centre = centre or CentreFactory()
    centre_class = CentreClassFactory(centre=centre)
    fields = {"lead_employer": employer or EmployerFactory(), **programme_fields}
    programme = ProgrammeFactory(centres=[centre], **fields)
    return SimpleNamespace(
        centre=centre,
        centre_class=centre_class,
        programme=programme,
        employer=fields["lead_employer"],
    )


def application(setting: SimpleNamespace, *, submitted: date = INSIDE, state="submitted", **fields):
    """An application in `state` submitted on `submitted` (a held place if offered/enrolled)."""
    holding = state in Application.HOLDING_STATES
    kin = ChildFactory(guardian=MemberFactory())
    row = Application.objects.create(
        child=kin,
        applicant=kin.consent.guardian,
        employer=setting.employer,
        programme=setting.programme,
        centre=setting.centre,
        age_class=setting.centre_class.age_class,
        start_month=PERIOD.start,
        state=state,
        centre_class=setting.centre_class if holding else None,
        offer_expires_at=timezone.now() if state == "offered" else None,
        **fields,
    )
    Application.objects.filter(pk=row.pk).update(submitted_at=at(submitted))
    History.objects.filter(id=row.pk).update(submitted_at=at(submitted))
    row.refresh_from_db()
    return row


def offer(row: Application, when: datetime) -> Application:
    """Record an offer made at `when` in the application's history, as a save would."""
    row.state, row.centre_class = "offered", row.programme.centres.first().classes.first()
    row.offer_expires_at = when + timedelta(days=7)
    row.save()
    latest = History.objects.filter(id=row.pk).order_by("-history_id").first()
    History.objects.filter(history_id=latest.history_id).update(history_date=when)
    return row


def enrolment(setting: SimpleNamespace, *, start: date, end: date | None = None, child=None):
    kin = child or ChildFactory(guardian=MemberFactory())
    row = Application.objects.create(
        child=kin,
        applicant=kin.consent.guardian,
        employer=setting.employer,
        programme=setting.programme,
        centre=setting.centre,
        age_class=setting.centre_class.age_class,
        start_month=start.replace(day=1),
        state="ended" if end else "enrolled",
        centre_class=None if end else setting.centre_class,
    )
    row.centre_class = setting.centre_class
    return enrolment_for(
        row,
        start_date=start,
        end_date=end,
        status=Enrolment.Status.ENDED if end else Enrolment.Status.ACTIVE,
    )


def attendance(row: Enrolment, month: date, days_attended: int) -> Attendance:
    return Attendance.objects.create(
        enrolment=row, month=month, days_open=20, days_attended=days_attended
    )


def payout_run(month: date, status: str = "approved", kind: str = "monthly") -> PayoutRun:
    found = PayoutRun.objects.filter(kind=kind, period=month).exclude(status="cancelled").first()
    return found or PayoutRun.objects.create(kind=kind, period=month, status=status)


def payout_line(
    run: PayoutRun,
    scheme,
    amount: str,
    *,
    status: str = "payable",
    centre: Centre | None = None,
    employer=None,
    **fields,
) -> PayoutLine:
    return PayoutLine.objects.create(
        run=run,
        scheme=scheme,
        subject=f"test:{next(_numbers)}",
        payee_kind="centre" if centre else "employer",
        centre=centre,
        employer=employer,
        funder=scheme.funder,
        amount=Decimal(amount),
        status=status,
        **fields,
    )


def published_round(year: int, level: str = "qianan", status: str = "published"):
    """The round of `year` and `level` (one of each exists at most), made in `status`."""
    found = EvaluationRound.objects.filter(year=year, level=level).first()
    if found is not None:
        return found
    published = status == "published"
    return EvaluationRound.objects.create(
        year=year,
        level=level,
        places=10,
        applications_open_on=date(year, 3, 1),
        applications_close_on=date(year, 3, 31),
        scoring_opens_on=date(year, 4, 1),
        scoring_closes_on=date(year, 4, 30),
        status=status,
        rubric_frozen_at=at(date(year, 4, 1)),
        publicity_start=date(year, 5, 1),
        publicity_end=date(year, 5, 10),
        published_at=at(date(year, 5, 12)) if published else None,
    )


def pilot_result(pilot_round, employer, *, rank: int | None = None, recommended=True, decision=""):
    pilot_application = PilotApplication.objects.create(round=pilot_round, employer=employer)
    decided = decision in ("approved", "not_approved")
    return UnitResult.objects.create(
        round=pilot_round,
        application=pilot_application,
        reviewer_count=3,
        score_infrastructure=Decimal("20"),
        score_staffing=Decimal("20"),
        score_activities=Decimal("20"),
        score_management=Decimal("20"),
        total=Decimal("80"),
        rank=rank or next(_numbers),
        recommended=recommended,
        decision=decision,
        decision_on=date(pilot_round.year, 6, 1) if decided else None,
        computed_at=at(date(pilot_round.year, 4, 30)),
    )


def world(rows: int, *, employer=None, centre=None) -> SimpleNamespace:
    """`rows` rows behind every figure of the dashboard, all inside the test period (of
    `employer`, and at `centre`, when given)."""
    w = SimpleNamespace(employer=employer or EmployerFactory(), settings=[])
    federation = FederationFactory()
    scheme = SchemeFactory()
    BudgetFactory(scheme=scheme, year=PERIOD.start.year)
    run = payout_run(INSIDE.replace(day=1))
    pilot_round = published_round(2030 + next(_numbers))
    for _ in range(rows):
        here = centre or CentreFactory(
            federation=federation, federation_staff_count=3, offers_welfare_childcare=True
        )
        setting = caring_centre(employer=w.employer, centre=here)
        PlaceAgreementFactory(programme=setting.programme, centre=here, places=4)
        application(setting)
        offer(application(setting), at(INSIDE))
        row = enrolment(setting, start=BEFORE)
        attendance(row, INSIDE.replace(day=1), 15)
        payout_line(run, scheme, "200.00", centre=here, employer=w.employer)
        pilot_result(pilot_round, EmployerFactory())
        MotherRoomFactory(host_employer=w.employer, host_union=None)
        CareClassFactory(first_session=False, organiser_union=None, organiser_employer=w.employer)
        w.settings.append(setting)
    return w
