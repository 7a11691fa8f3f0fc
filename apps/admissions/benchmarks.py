"""`manage.py benchmark admissions`: the application list and apply endpoints under a city's
worth of data (1,000 programmes, 50,000 applications), timed in-process through the API.

The data is written with bulk_create into the throwaway database the framework provides, and
kept consistent: every line (centre, age class) whose class is full holds exactly as many
offered-or-enrolled applications as its `places_taken`, so applying joins a waiting list the
way it would in a busy city, and nothing is offered out of order.
"""

from __future__ import annotations

import statistics
import time
import uuid
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from apps.accounts.models import Role, User
from apps.centres.models import AgeClass, Centre, CentreAdmin, CentreClass
from apps.core.management.commands.benchmark import benchmark
from apps.core.models import Area
from apps.core.pii import set_sensitive
from apps.core.validators import make_credit_code, make_id_number, normalize_id_number
from apps.employers.models import Employer, Employment, Programme
from apps.employers.pricing import next_month
from apps.members.models import Child, GuardianConsent, Guardianship, Member

from .models import Application, Enrolment

State = Application.State
BATCH = 2000
CENTRES = 100
EMPLOYERS = 100
APPLICATIONS_PER_CHILD = 5
TODDLER_CAPACITY = 15
WARM_UP = 5
# Closed and queued states of the bulk applications, in proportion (holding ones added apart).
STATE_CYCLE = [State.WAITING] * 8 + [State.SUBMITTED] * 2 + [State.WITHDRAWN] * 3
STATE_CYCLE += [State.REJECTED] * 2 + [State.EXPIRED] * 2 + [State.DECLINED] * 2 + [State.ENDED]
PASSWORD = make_password(None)  # unusable: the harness signs in with tokens


@dataclass
class World:
    start_month: date
    programmes: list[Programme] = field(default_factory=list)
    parent: User | None = None
    centre_admin: User | None = None
    appliers: list[tuple[User, Child, Programme]] = field(default_factory=list)


def _users(prefix: str, count: int, role: str) -> list[User]:
    users = User.objects.bulk_create(
        [User(username=f"{prefix}{n}", role=role, password=PASSWORD) for n in range(count)],
        batch_size=BATCH,
    )
    tokens = Token.objects.bulk_create(
        [Token(user=user, key=Token.generate_key()) for user in users], batch_size=BATCH
    )
    for user, token in zip(users, tokens, strict=True):
        user.bench_token = token.key
    return users


def _registry(world: World, programmes: int) -> tuple[list[Centre], dict[int, CentreClass]]:
    area = Area.objects.order_by("sort_order").first()
    employers = Employer.objects.bulk_create(
        Employer(
            name=f"基准企业{n}",
            credit_code=make_credit_code(f"91130283MB{n:07d}"),
            kind=Employer.Kind.ENTERPRISE,
            address="迁安市",
            area=area,
            status="approved",
        )
        for n in range(EMPLOYERS)
    )
    centres = Centre.objects.bulk_create(
        Centre(
            name=f"基准托育中心{n}",
            credit_code=make_credit_code(f"52130283MK{n:07d}"),
            operator="基准托育服务有限公司",
            address="迁安市",
            area=area,
            latitude=Decimal("40.011800") + Decimal(n) / 10000,
            longitude=Decimal("118.701200"),
            status="approved",
        )
        for n in range(CENTRES)
    )
    classes = CentreClass.objects.bulk_create(
        CentreClass(
            centre=centre,
            name=name,
            age_class=age_class,
            capacity=capacity,
            monthly_price=Decimal(price),
        )
        for centre in centres
        for name, age_class, capacity, price in (
            ("托小1班", AgeClass.TODDLER, TODDLER_CAPACITY, "1800"),
            ("托大1班", AgeClass.OLDER_TODDLER, 20, "1600"),
        )
    )
    toddler_class = {c.centre_id: c for c in classes if c.age_class == AgeClass.TODDLER}
    world.programmes = Programme.objects.bulk_create(
        Programme(
            name=f"基准爱心托育{n}",
            delivery_model=Programme.DeliveryModel.OWN_CENTRE,
            lead_employer=employers[n % EMPLOYERS],
            parent_share_percent=Decimal("50.00"),
            subsidy_amount=Decimal("200.00"),
            start_date=date(2024, 1, 1),
            status=Programme.Status.APPROVED,
        )
        for n in range(programmes)
    )
    Programme.centres.through.objects.bulk_create(
        Programme.centres.through(programme=p, centre=centres[n % CENTRES])
        for n, p in enumerate(world.programmes)
    )
    return centres, toddler_class


def _families(count: int, *, users: list[User] | None, birth: date, offset: int) -> list[Member]:
    """`count` members, each with one child born on `birth` (users attached when given)."""
    members = []
    for n in range(count):
        member = Member(
            user=users[n] if users and n < len(users) else None,
            full_name=f"职工{offset + n}",
            mobile=f"139{offset + n:08d}",
            membership=Member.Membership.VERIFIED,
        )
        number = make_id_number(
            birth=date(1980, 1, 1) + timedelta(days=(offset + n) // 1000),
            sequence=(offset + n) % 1000,
        )
        set_sensitive(member, "id_number", number, normalize=normalize_id_number)
        members.append(member)
    members = Member.objects.bulk_create(members, batch_size=BATCH)
    consents = GuardianConsent.objects.bulk_create(
        [GuardianConsent(guardian=m, notice_version="2026-01") for m in members], batch_size=BATCH
    )
    children = Child.objects.bulk_create(
        [
            Child(full_name=f"幼儿{offset + n}", birth_date=birth, sex="F", consent=consent)
            for n, consent in enumerate(consents)
        ],
        batch_size=BATCH,
    )
    Guardianship.objects.bulk_create(
        [
            Guardianship(child=c, guardian=m, relation="mother")
            for c, m in zip(children, members, strict=True)
        ],
        batch_size=BATCH,
    )
    for member, child in zip(members, children, strict=True):
        member.bench_child = child
    return members


def _enrolment(application: Application, start: date) -> Enrolment:
    return Enrolment(
        application=application,
        child_id=application.child_id,
        programme_id=application.programme_id,
        centre_id=application.centre_id,
        centre_class_id=application.centre_class_id,
        start_date=start,
        market_price=Decimal("1800.00"),
        parent_share_percent=Decimal("50.00"),
        parent_fee=Decimal("900.00"),
        employer_part=Decimal("900.00"),
        subsidy_amount=Decimal("200.00"),
        subsidy_basis="per_child",
        subsidy_funder="employer",
    )


def _applications(world: World, members: list[Member], toddler_class, total: int) -> None:
    """`total` applications, five per child to distinct programmes; each centre's toddler class
    is filled by enrolled applications, the rest are queued or closed."""
    rows, enrolled_children, taken = [], set(), dict.fromkeys(toddler_class, 0)
    count = len(world.programmes)
    for n in range(total):
        member = members[n // APPLICATIONS_PER_CHILD]
        programme = world.programmes[(n * 7) % count]
        centre_id = programme.bench_centre_id
        state, centre_class = STATE_CYCLE[n % len(STATE_CYCLE)], None
        child = member.bench_child
        if taken[centre_id] < TODDLER_CAPACITY and child.pk not in enrolled_children:
            state, centre_class = State.ENROLLED, toddler_class[centre_id]
            taken[centre_id] += 1
            enrolled_children.add(child.pk)
        rows.append(
            Application(
                child=child,
                applicant=member,
                employer_id=programme.lead_employer_id,
                programme=programme,
                centre_id=centre_id,
                age_class=AgeClass.TODDLER,
                start_month=world.start_month,
                state=state,
                centre_class=centre_class,
            )
        )
    rows = Application.objects.bulk_create(rows, batch_size=BATCH)
    Enrolment.objects.bulk_create(
        [_enrolment(a, date(2026, 1, 1)) for a in rows if a.state == State.ENROLLED],
        batch_size=BATCH,
    )
    for centre_id, places in taken.items():
        CentreClass.objects.filter(pk=toddler_class[centre_id].pk).update(places_taken=places)


def build(*, programmes: int, applications: int, appliers: int) -> World:
    world = World(start_month=next_month(timezone.localdate()))
    centres, toddler_class = _registry(world, programmes)
    for n, programme in enumerate(world.programmes):
        programme.bench_centre_id = centres[n % CENTRES].pk
    # The parent the list is timed for is the first family, with five applications.
    parent = _users("bench_parent", 1, Role.PARENT)
    families = applications // APPLICATIONS_PER_CHILD
    members = _families(families, users=parent, birth=date(2024, 1, 15), offset=0)
    _applications(world, members, toddler_class, applications)
    world.parent = parent[0]
    admin = _users("bench_centre_admin", 1, Role.CENTRE_ADMIN)[0]
    CentreAdmin.objects.create(user=admin, centre=centres[0])
    world.centre_admin = admin
    # Appliers: 18 months old at the start month, workers of their programme's lead employer.
    birth = world.start_month - timedelta(days=18 * 31)
    users = _users("bench_applier", appliers, Role.PARENT)
    new = _families(appliers, users=users, birth=birth, offset=families)
    targets = [world.programmes[(n * 5) % len(world.programmes)] for n in range(appliers)]
    Employment.objects.bulk_create(
        Employment(
            member=m,
            employer_id=p.lead_employer_id,
            status=Employment.Status.ACTIVE,
            verified_by=Employment.VerifiedBy.ROSTER,
        )
        for m, p in zip(new, targets, strict=True)
    )
    world.appliers = [(u, m.bench_child, p) for u, m, p in zip(users, new, targets, strict=True)]
    return world


# Timing


def _timed(client: APIClient, user: User, call) -> tuple[float, int, int]:
    # Token authentication, as a machine client signs in (its lookup is one of the queries).
    client.credentials(HTTP_AUTHORIZATION=f"Token {user.bench_token}")
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        response = call(client)
        elapsed = (time.perf_counter() - started) * 1000
    if response.status_code not in (200, 201):
        raise CommandError(f"{response.status_code}: {response.content[:500]!r}")
    return elapsed, len(queries), response.status_code


def _percentiles(samples: list[float]) -> tuple[float, float]:
    cuts = statistics.quantiles(samples, n=20, method="inclusive")
    return round(statistics.median(samples), 1), round(cuts[18], 1)


def _time_lists(world: World, requests: int) -> tuple[list[float], int]:
    client, url, samples, most = APIClient(), reverse("api-application-list"), [], 0
    for user in (world.parent, world.centre_admin):
        for n in range(WARM_UP + requests):
            elapsed, queries, _status = _timed(client, user, lambda c: c.get(url))
            if n >= WARM_UP:
                samples.append(elapsed)
                most = max(most, queries)
    return samples, most


def _time_applies(world: World) -> tuple[list[float], int]:
    client, url, samples, most = APIClient(), reverse("api-application-list"), [], 0
    for n, (user, child, programme) in enumerate(world.appliers):
        body = {
            "child": child.pk,
            "programme": programme.pk,
            "centre": programme.bench_centre_id,
            "age_class": AgeClass.TODDLER,
            "start_month": f"{world.start_month:%Y-%m}",
        }
        elapsed, queries, _status = _timed(
            client,
            user,
            lambda c, body=body: c.post(
                url, body, format="json", HTTP_IDEMPOTENCY_KEY=str(uuid.uuid4())
            ),
        )
        if n >= WARM_UP:
            samples.append(elapsed)
            most = max(most, queries)
    return samples, most


@benchmark(
    "admissions",
    help="List and apply through the API with 1,000 programmes and 50,000 applications.",
    arguments=[
        ("--programmes", {"type": int, "default": 1000, "help": "programmes to create"}),
        ("--applications", {"type": int, "default": 50_000, "help": "applications to create"}),
        ("--requests", {"type": int, "default": 200, "help": "timed requests of each kind"}),
    ],
)
def admissions(*, programmes: int, applications: int, requests: int) -> dict:
    if programmes < CENTRES or applications < APPLICATIONS_PER_CHILD * CENTRES:
        raise CommandError(f"use at least {CENTRES} programmes and 500 applications")
    with override_settings(ALLOWED_HOSTS=["testserver"], SECURE_SSL_REDIRECT=False):
        world = build(programmes=programmes, applications=applications, appliers=WARM_UP + requests)
        lists, list_queries = _time_lists(world, requests)
        applies, apply_queries = _time_applies(world)
    list_p50, list_p95 = _percentiles(lists)
    apply_p50, apply_p95 = _percentiles(applies)
    return {
        "list_p50_ms": list_p50,
        "list_p95_ms": list_p95,
        "apply_p50_ms": apply_p50,
        "apply_p95_ms": apply_p95,
        "list_queries": list_queries,
        "apply_queries": apply_queries,
        "programmes": Programme.objects.count(),
        "applications": applications,
        "requests": requests,
    }
