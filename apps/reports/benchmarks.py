"""`manage.py benchmark dashboard`: the union staff dashboard over a city's history of 100,000
enrolments, rendered in-process through the page (login, figures, template) N times.

The data is written with bulk_create into the framework's throwaway database: 25,000 children
with four enrolments each (three ended, one running), their applications and first offers in
the history table, three months of attendance and of approved subsidy payments for the running
ones, plus the centres, classes, programmes, agreements and pilot, room and care-class rows the
other figures read. Prints {"enrolments", "median_ms", "queries"} (and the framework's
peak_rss_mb).
"""

from __future__ import annotations

import statistics
import time
from datetime import date, timedelta
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.core.management.base import CommandError
from django.db import connection, reset_queries
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import Role, User
from apps.admissions.models import Application, Attendance, Enrolment
from apps.centres.models import AgeClass, Centre, CentreClass
from apps.core.management.commands.benchmark import benchmark
from apps.core.models import Area
from apps.core.pii import set_sensitive
from apps.core.validators import make_credit_code, make_id_number, normalize_id_number
from apps.employers.models import Employer, PlaceAgreement, Programme
from apps.members.models import Child, GuardianConsent, Member, Union
from apps.subsidies.models import Budget, PayoutLine, PayoutRun, SubsidyScheme
from apps.welfare.models import MotherRoom

from .periods import add_months

BATCH = 2000
ENROLMENTS_PER_CHILD = 4
CENTRES = 200
EMPLOYERS = 100
PROGRAMMES = 50
PAID_MONTHS = 3
WARM_UP = 3
MODELS = list(Programme.DeliveryModel)
FUNDERS = list(Programme.Funder)


def _organisations(area: Area) -> tuple[list[Employer], list[Centre], list[CentreClass]]:
    federation = Union.objects.create(name="基准托育行业工会联合会", kind="industry_federation")
    employers = Employer.objects.bulk_create(
        Employer(
            name=f"基准企业{n}",
            credit_code=make_credit_code(f"91130283MD{n:07d}"),
            kind=Employer.Kind.ENTERPRISE,
            address="迁安市",
            area=area,
            status="approved",
        )
        for n in range(EMPLOYERS)
    )
    centres = Centre.objects.bulk_create(
        Centre(
            name=f"基准托育园{n}",
            credit_code=make_credit_code(f"52130283MN{n:07d}"),
            operator="基准托育服务有限公司",
            address="迁安市",
            area=area,
            latitude=Decimal("40.011800"),
            longitude=Decimal("118.701200"),
            federation=federation if n % 3 else None,
            federation_staff_count=16 if n % 3 else 0,
            offers_welfare_childcare=n % 10 == 1,
            status="approved",
        )
        for n in range(CENTRES)
    )
    classes = CentreClass.objects.bulk_create(
        CentreClass(
            centre=centre,
            name=name,
            age_class=age,
            capacity=capacity,
            monthly_price=Decimal("1800.00"),
        )
        for centre in centres
        for name, age, capacity in (
            ("托小1班", AgeClass.TODDLER, 15),
            ("托大1班", "older_toddler", 20),
        )
    )
    return employers, centres, classes


def _programmes(employers, centres) -> list[Programme]:
    programmes = Programme.objects.bulk_create(
        Programme(
            name=f"基准爱心托育{n}",
            delivery_model=Programme.DeliveryModel.OWN_CENTRE,
            lead_employer=employers[n % EMPLOYERS],
            parent_share_percent=Decimal("50.00"),
            subsidy_amount=Decimal("200.00"),
            subsidy_funder=FUNDERS[n % len(FUNDERS)],
            start_date=date(2022, 1, 1),
            status=Programme.Status.APPROVED,
        )
        for n in range(PROGRAMMES)
    )
    Programme.centres.through.objects.bulk_create(
        Programme.centres.through(programme=programme, centre=centres[(n * 4 + k) % CENTRES])
        for n, programme in enumerate(programmes)
        for k in range(4)
    )
    PlaceAgreement.objects.bulk_create(
        PlaceAgreement(
            programme=programmes[n % PROGRAMMES],
            buyer_employer=programmes[n % PROGRAMMES].lead_employer,
            centre=centre,
            age_class=AgeClass.TODDLER,
            places=10,
            places_taken=n % 10,
            start_month=date(2024, 1, 1),
            payment_mode=PlaceAgreement.PaymentMode.PER_ENROLLED_CHILD,
        )
        for n, centre in enumerate(centres)
    )
    return programmes


def _children(count: int) -> tuple[list[Member], list[Child]]:
    members = []
    for n in range(count):
        member = Member(full_name=f"职工{n}", mobile=f"138{n:08d}", membership="verified")
        number = make_id_number(birth=date(1985, 1, 1) + timedelta(days=n // 900), sequence=n % 900)
        set_sensitive(member, "id_number", number, normalize=normalize_id_number)
        members.append(member)
    members = Member.objects.bulk_create(members, batch_size=BATCH)
    consents = GuardianConsent.objects.bulk_create(
        [GuardianConsent(guardian=m, notice_version="2026-01") for m in members], batch_size=BATCH
    )
    children = Child.objects.bulk_create(
        [
            Child(full_name=f"幼儿{n}", birth_date=date(2024, 6, 1), sex="F", consent=consent)
            for n, consent in enumerate(consents)
        ],
        batch_size=BATCH,
    )
    return members, children


def _spans(n: int, this_month: date) -> list[tuple[date, date | None]]:
    """Four enrolments of child n: three ended ones of six months, then the running one,
    which began in one of the last ten months."""
    running_from = add_months(this_month, -(n % 10))
    spans = []
    for k in range(ENROLMENTS_PER_CHILD - 1, 0, -1):
        first = add_months(running_from, -7 * k)
        spans.append((first, add_months(first, 6) - timedelta(days=1)))
    spans.append((running_from, None))
    return spans


def _enrolments(members, children, programmes, classes, this_month: date) -> list[Enrolment]:
    applications, enrolments = [], []
    for n, (member, child) in enumerate(zip(members, children, strict=True)):
        programme = programmes[n % PROGRAMMES]
        centre_class = classes[(n % (len(classes) // 2)) * 2]
        for start, end in _spans(n, this_month):
            running = end is None
            application = Application(
                child=child,
                applicant=member,
                employer_id=programme.lead_employer_id,
                programme=programme,
                centre_id=centre_class.centre_id,
                age_class=centre_class.age_class,
                start_month=start,
                state="enrolled" if running else "ended",
                centre_class=centre_class if running else None,
            )
            applications.append(application)
            enrolments.append(
                Enrolment(
                    application=application,
                    child=child,
                    programme=programme,
                    centre_id=centre_class.centre_id,
                    centre_class=centre_class,
                    employer_id=programme.lead_employer_id,
                    status="active" if running else "ended",
                    start_date=start,
                    end_date=end,
                    market_price=Decimal("1800.00"),
                    parent_share_percent=Decimal("50.00"),
                    parent_fee=Decimal("900.00"),
                    employer_part=Decimal("900.00"),
                    subsidy_amount=Decimal("200.00"),
                    subsidy_basis="per_child",
                    subsidy_funder=programme.subsidy_funder,
                )
            )
    Application.objects.bulk_create(applications, batch_size=BATCH)
    _first_offers(applications)
    for enrolment in enrolments:
        enrolment.application_id = enrolment.application.pk
    return Enrolment.objects.bulk_create(enrolments, batch_size=BATCH)


def _first_offers(applications: list[Application]) -> None:
    """The history records of each first offer: waiting 3 to 40 days after submission."""
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE admissions_application SET submitted_at = "
            "(start_month - 30 - (id % 30)::int)::timestamp AT TIME ZONE 'Asia/Shanghai'"
        )
    submitted = dict(Application.objects.values_list("pk", "submitted_at"))
    for application in applications:
        application.submitted_at = submitted[application.pk]
        application._history_date = submitted[application.pk] + timedelta(
            days=3 + application.pk % 37
        )
        # Recorded as it was when offered; the rows themselves stay enrolled or ended.
        application.state = "offered"
        application.offer_expires_at = application._history_date + timedelta(days=7)
    Application.history.bulk_history_create(applications, batch_size=BATCH)


def _money_and_attendance(enrolments: list[Enrolment], this_month: date) -> None:
    running = [e for e in enrolments if e.end_date is None]
    months = [add_months(this_month, -k) for k in range(1, PAID_MONTHS + 1)]
    Attendance.objects.bulk_create(
        [
            Attendance(enrolment=e, month=m, days_open=21, days_attended=(e.pk % 22))
            for e in running
            for m in months
        ],
        batch_size=BATCH,
    )
    scheme = SubsidyScheme.objects.create(
        name="基准托育补贴", kind="monthly_subsidy", funder="employer", valid_from=date(2022, 1, 1)
    )
    Budget.objects.create(scheme=scheme, year=this_month.year, amount=Decimal("90000000.00"))
    member_of = {e.pk: e.application.applicant_id for e in running}
    for month in months:
        run = PayoutRun.objects.create(period=month, status=PayoutRun.Status.APPROVED)
        PayoutLine.objects.bulk_create(
            [
                PayoutLine(
                    run=run,
                    scheme=scheme,
                    subject=f"enrolment:{e.pk}",
                    enrolment=e,
                    payee_kind="parent",
                    member_id=member_of[e.pk],
                    centre_id=e.centre_id,
                    employer_id=e.employer_id,
                    funder="employer",
                    amount=Decimal("200.00"),
                    status="payable" if e.pk % 20 else "held_attendance",
                )
                for e in running
            ],
            batch_size=BATCH,
        )


def _rooms(area: Area, employers: list[Employer]) -> None:
    levels = ["qianan", "tangshan", "hebei"]
    MotherRoom.objects.bulk_create(
        MotherRoom(
            name=f"基准爱心妈妈小屋{n}",
            host_employer=employers[n % EMPLOYERS],
            version="enterprise" if n % 2 else "public",
            status="approved",
            level=levels[n % 3],
            recognised_on=date(2024, 5, 1),
            address="迁安市",
            area=area,
            floor_area_m2=Decimal("12.0"),
            latitude=Decimal("40.0"),
            longitude=Decimal("118.7"),
            opening_hours="8:30–17:30",
        )
        for n in range(60)
    )


def build(enrolments: int) -> User:
    area = Area.objects.order_by("sort_order").first()
    this_month = timezone.localdate().replace(day=1)
    employers, centres, classes = _organisations(area)
    programmes = _programmes(employers, centres)
    members, children = _children(enrolments // ENROLMENTS_PER_CHILD)
    made = _enrolments(members, children, programmes, classes, this_month)
    _money_and_attendance(made, this_month)
    _rooms(area, employers)
    return User.objects.create(
        username="bench_union_staff", role=Role.UNION_STAFF, password=make_password(None)
    )


def _time(client: Client, url: str, runs: int) -> tuple[list[float], int]:
    samples, most = [], 0
    for n in range(WARM_UP + runs):
        reset_queries()  # the log keeps 9,000 queries; building the data filled it
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(url)
            elapsed = (time.perf_counter() - started) * 1000
        if response.status_code != 200:
            raise CommandError(f"{response.status_code}: {response.content[:300]!r}")
        if n >= WARM_UP:
            samples.append(elapsed)
            most = max(most, len(queries))
    return samples, most


@benchmark(
    "dashboard",
    help="Render the union staff dashboard over 100,000 enrolments.",
    arguments=[
        ("--enrolments", {"type": int, "default": 100_000, "help": "enrolments to create"}),
        ("--runs", {"type": int, "default": 20, "help": "timed page loads"}),
    ],
)
def dashboard(*, enrolments: int, runs: int) -> dict:
    if enrolments < ENROLMENTS_PER_CHILD * 10:
        raise CommandError("use at least 40 enrolments")
    with override_settings(ALLOWED_HOSTS=["testserver"], SECURE_SSL_REDIRECT=False):
        user = build(enrolments)
        connection.cursor().execute("ANALYZE")
        client = Client()
        client.force_login(user)
        samples, queries = _time(client, reverse("reports:dashboard"), runs)
    return {
        "enrolments": Enrolment.objects.count(),
        "median_ms": round(statistics.median(samples), 1),
        "queries": queries,
    }
