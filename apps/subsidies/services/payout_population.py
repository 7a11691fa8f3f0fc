"""A synthetic population for payout benchmarks and real-worker tests: N children enrolled under
a per-child programme and a per-worker programme with bought places, with attendance and bank
accounts. The big tables are filled by set-based SQL (seconds for 100,000 children).

The mix, by the child's number j (1..N), exercises every rule: one child in ten is a family's
second child (its parent gets one per-worker line); every fifth child is in the per-worker
programme; every 17th starts during the month, every 23rd ends in it; every 31st has no
attendance (held), every 37th attended no day (nothing due); every 20th parent has no bank
account (held).
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import connection, transaction

from apps.centres.models import Centre, CentreClass
from apps.core.models import Area
from apps.core.pii import encrypt, pii_hash
from apps.core.validators import make_credit_code
from apps.employers.models import Employer, PlaceAgreement, Programme
from apps.members.models import Union

from ..models import BankAccount, Budget, SubsidyScheme

ACCOUNT_NUMBER = "6222020200112233445"
ID_NUMBER = "130283199001011234"


@dataclass(frozen=True)
class Population:
    children: int
    schemes: list[int]
    programmes: list[int]


def _tag_number(tag: str) -> str:
    return f"{zlib.crc32(tag.encode()) % 1000:03d}"


def _employers(tag: str, count: int, union: Union, area: Area) -> list[Employer]:
    return Employer.objects.bulk_create(
        Employer(
            name=f"{tag}用人单位{n}",
            credit_code=make_credit_code(f"91130283MB{_tag_number(tag)}{n:04d}"),
            kind=Employer.Kind.ENTERPRISE,
            address="迁安市",
            area=area,
            union=union,
            status="approved",
        )
        for n in range(count)
    )


def _centres(tag: str, count: int, area: Area) -> list[CentreClass]:
    centres = Centre.objects.bulk_create(
        Centre(
            name=f"{tag}托育中心{n}",
            credit_code=make_credit_code(f"52130283MK{_tag_number(tag)}{n:04d}"),
            operator="迁安市托育服务有限公司",
            address="迁安市",
            area=area,
            latitude=Decimal("40.011800"),
            longitude=Decimal("118.701200"),
            status="approved",
        )
        for n in range(count)
    )
    return CentreClass.objects.bulk_create(
        CentreClass(
            centre=centre,
            name="托小班",
            age_class="toddler",
            capacity=15,
            monthly_price=Decimal("1800.00"),
        )
        for centre in centres
    )


def _programmes(tag: str, employers: list[Employer]) -> tuple[Programme, Programme]:
    common = {
        "parent_share_percent": Decimal("50.00"),
        "subsidy_amount": Decimal("200.00"),
        "start_date": date(2024, 1, 1),
        "status": Programme.Status.APPROVED,
    }
    per_child = Programme.objects.create(
        name=f"{tag}职工子女托育",
        delivery_model="own_centre",
        lead_employer=employers[0],
        subsidy_basis="per_child",
        subsidy_funder="employer",
        **common,
    )
    per_worker = Programme.objects.create(
        name=f"{tag}购买学位托育",
        delivery_model="purchased",
        lead_employer=employers[1],
        subsidy_basis="per_worker",
        subsidy_funder="union",
        **common,
    )
    return per_child, per_worker


def _schemes(tag: str, per_child, per_worker, year: int, budget: Decimal) -> list[SubsidyScheme]:
    specs = [
        ("monthly_subsidy", "employer", [per_child]),
        ("monthly_subsidy", "union", [per_worker]),
        ("employer_fee_part", "employer", [per_child, per_worker]),
    ]
    schemes = []
    for kind, funder, programmes in specs:
        scheme = SubsidyScheme.objects.create(
            name=f"{tag} {kind} {funder}", kind=kind, funder=funder, valid_from=date(2024, 1, 1)
        )
        scheme.programmes.set(programmes)
        Budget.objects.create(scheme=scheme, year=year, amount=budget)
        schemes.append(scheme)
    return schemes


def _org_accounts(owners: dict[str, list]) -> None:
    accounts = []
    for field_name, rows in owners.items():
        for owner in rows:
            account = BankAccount(
                bank_name="中国工商银行迁安支行",
                account_name=str(owner),
                status="checked",
                **{field_name: owner},
            )
            account.account_number = ACCOUNT_NUMBER
            account.account_number_hash = pii_hash(ACCOUNT_NUMBER)
            accounts.append(account)
    BankAccount.objects.bulk_create(accounts)


PEOPLE_SQL = """
CREATE TEMP TABLE seed_member (n int PRIMARY KEY, id bigint) ON COMMIT DROP;
WITH ins AS (
    INSERT INTO members_member (full_name, id_number, id_number_hash, mobile, union_id,
                                membership, created_at)
    SELECT %(tag)s || '#m' || n, %(id_cipher)s,
           md5(%(tag)s || '#m' || n) || md5(%(tag)s || '#h' || n),
           '139' || lpad((n %% 100000000)::text, 8, '0'), %(union)s, 'verified', now()
    FROM generate_series(1, %(members)s) n RETURNING id, full_name)
INSERT INTO seed_member SELECT split_part(full_name, '#m', 2)::int, id FROM ins;
CREATE TEMP TABLE seed_consent ON COMMIT DROP AS SELECT 0::bigint AS member, 0::bigint AS id
    LIMIT 0;
WITH ins AS (
    INSERT INTO members_guardianconsent (guardian_id, notice_version, given_at)
    SELECT id, '2026-01', now() FROM seed_member RETURNING id, guardian_id)
INSERT INTO seed_consent SELECT guardian_id, id FROM ins;
CREATE TEMP TABLE seed_child (j int PRIMARY KEY, id bigint, member bigint) ON COMMIT DROP;
WITH ins AS (
    INSERT INTO members_child (full_name, birth_date, sex, id_number, id_number_hash,
                               consent_id, created_at)
    SELECT %(tag)s || '#c' || j, DATE '2025-03-01', 'F', '', '', c.id, now()
    FROM generate_series(1, %(children)s) j
    JOIN seed_member m ON m.n = (j - 1) %% %(members)s + 1
    JOIN seed_consent c ON c.member = m.id
    RETURNING id, full_name)
INSERT INTO seed_child
SELECT split_part(ins.full_name, '#c', 2)::int, ins.id, m.id FROM ins
JOIN seed_member m ON m.n = (split_part(ins.full_name, '#c', 2)::int - 1) %% %(members)s + 1;
INSERT INTO members_guardianship (child_id, guardian_id, relation)
SELECT id, member, 'mother' FROM seed_child;
INSERT INTO subsidies_bankaccount (member_id, bank_name, account_name, account_number,
    account_number_hash, status, is_current, rejection_reason, created_at)
SELECT id, '中国工商银行迁安支行', 'parent', %(cipher)s,
       md5(%(tag)s || '#a' || n) || md5(%(tag)s || '#b' || n), 'checked', true, '', now()
FROM seed_member WHERE n %% 20 <> 0;
"""

PLAN_SQL = """
CREATE TEMP TABLE seed_plan ON COMMIT DROP AS
SELECT c.j, c.id AS child, c.member, w.worker,
       CASE WHEN w.worker THEN %(per_worker)s ELSE %(per_child)s END AS programme,
       (%(centres)s::bigint[])[c.j %% %(n_centres)s + 1] AS centre,
       (%(classes)s::bigint[])[c.j %% %(n_centres)s + 1] AS class,
       CASE WHEN w.worker THEN (%(agreements)s::bigint[])[c.j %% %(n_centres)s + 1] END
           AS agreement,
       (%(employers)s::bigint[])[c.j %% %(n_employers)s + 1] AS employer,
       s.start_date,
       CASE WHEN c.j %% 23 = 0 THEN GREATEST(s.start_date, %(first_day)s::date + 9) END
           AS end_date
FROM seed_child c
CROSS JOIN LATERAL (SELECT c.j %% 5 = 0 AS worker) w
CROSS JOIN LATERAL (SELECT CASE WHEN c.j %% 17 = 0 THEN %(first_day)s::date + c.j %% 28
                           ELSE DATE '2025-09-01' END AS start_date) s;
CREATE TEMP TABLE seed_app (child bigint PRIMARY KEY, id bigint) ON COMMIT DROP;
WITH ins AS (
    INSERT INTO admissions_application (child_id, applicant_id, employer_id, programme_id,
        centre_id, age_class, start_month, state, priority_rank, priority_groups, submitted_at,
        state_changed_at, centre_class_id, place_agreement_id, reason, quote,
        employment_left_flag)
    SELECT child, member, employer, programme, centre, 'toddler',
           date_trunc('month', start_date)::date,
           CASE WHEN end_date IS NULL THEN 'enrolled' ELSE 'ended' END, 99, '[]', now(), now(),
           CASE WHEN end_date IS NULL THEN class END, agreement, '', '{}', false
    FROM seed_plan RETURNING id, child_id)
INSERT INTO seed_app SELECT child_id, id FROM ins;
CREATE TEMP TABLE seed_enrolment (j int PRIMARY KEY, id bigint) ON COMMIT DROP;
WITH ins AS (
    INSERT INTO admissions_enrolment (application_id, child_id, programme_id, centre_id,
        centre_class_id, place_agreement_id, employer_id, status, start_date, end_date,
        market_price, parent_share_percent, parent_fee, employer_part, subsidy_amount,
        subsidy_basis, subsidy_funder, payment_mode, created_at)
    SELECT a.id, p.child, p.programme, p.centre, p.class, p.agreement, p.employer,
           CASE WHEN p.end_date IS NULL THEN 'active' ELSE 'ended' END, p.start_date,
           p.end_date, 1800, 50, 900, 900,
           CASE WHEN p.worker AND p.j > %(members)s THEN 0 ELSE 200 END,
           CASE WHEN p.worker THEN 'per_worker' ELSE 'per_child' END,
           CASE WHEN p.worker THEN 'union' ELSE 'employer' END,
           CASE WHEN p.worker THEN 'per_place' ELSE '' END, now()
    FROM seed_plan p JOIN seed_app a ON a.child = p.child RETURNING id, child_id)
INSERT INTO seed_enrolment SELECT c.j, ins.id FROM ins JOIN seed_child c ON c.id = ins.child_id;
INSERT INTO admissions_attendance (enrolment_id, month, days_open, days_attended, reported_at)
SELECT id, %(first_day)s, 21, CASE WHEN j %% 37 = 0 THEN 0 ELSE 18 END, now()
FROM seed_enrolment WHERE j %% 31 <> 0;
"""


@transaction.atomic
def seed_population(
    *, children: int, period: date, tag: str = "bench", budget: Decimal = Decimal("100000000000.00")
) -> Population:
    """Create the population (see the module docstring); returns its schemes and programmes."""
    area = Area.objects.order_by("sort_order").first()
    union = Union.objects.create(name=f"{tag}基层工会", kind=Union.Kind.GRASSROOTS)
    employers = _employers(tag, max(2, children // 2000), union, area)
    classes = _centres(tag, max(2, children // 1500), area)
    per_child, per_worker = _programmes(tag, employers)
    agreements = PlaceAgreement.objects.bulk_create(
        PlaceAgreement(
            programme=per_worker,
            buyer_employer=employers[1],
            centre=c.centre,
            age_class="toddler",
            places=10,
            start_month=date(2024, 1, 1),
            payment_mode="per_place",
            agreed_monthly_price=Decimal("1500.00"),
        )
        for c in classes
    )
    schemes = _schemes(tag, per_child, per_worker, period.year, budget)
    _org_accounts({"centre": [c.centre for c in classes], "employer": employers})
    members = children - children // 10
    params = {
        "tag": tag,
        "cipher": encrypt(ACCOUNT_NUMBER),
        "id_cipher": encrypt(ID_NUMBER),
        "union": union.pk,
        "members": members,
        "children": children,
        "per_child": per_child.pk,
        "per_worker": per_worker.pk,
        "centres": [c.centre_id for c in classes],
        "classes": [c.pk for c in classes],
        "agreements": [a.pk for a in agreements],
        "n_centres": len(classes),
        "employers": [e.pk for e in employers],
        "n_employers": len(employers),
        "first_day": period,
    }
    with connection.cursor() as cursor:
        cursor.execute(PEOPLE_SQL, params)
        cursor.execute(PLAN_SQL, params)
        cursor.execute("ANALYZE")
    return Population(children, [s.pk for s in schemes], [per_child.pk, per_worker.pk])
