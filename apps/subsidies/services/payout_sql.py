"""The payout rules of apps/subsidies/rules.py, set-based: one INSERT ... SELECT ... ON CONFLICT
DO NOTHING per scheme kind and chunk, so a chunk costs a few statements whatever its size and a
repeated chunk inserts nothing (unique run + scheme + subject).

Each statement takes the chunk's id range (`first_id`..`last_id`, inclusive) and the month
(`first_day`, `last_day`, `month_days`). Statuses are the rules' outcomes, then `held_account`
for a payable line whose payee has no checked current bank account; the budget step runs later.
"""

# The SQL here is assembled from constants only; every value travels as a query parameter.
# ruff: noqa: S608

from __future__ import annotations

from datetime import date

from django.db import connection

from ..rules import UNIT_GRANT_LIMIT, days_in_month, month_bounds

INSERT = """
INSERT INTO subsidies_payoutline (
    run_id, scheme_id, subject, enrolment_id, payee_kind, member_id, centre_id, employer_id,
    bank_account_id, funder, amount, days_enrolled, days_in_month, status, starts_on,
    adjusts_id, created_at
)
"""
CONFLICT = " ON CONFLICT (run_id, scheme_id, subject) DO NOTHING"

# The run's schemes of one kind and the programmes each covers (fixed when the run started).
SCHEMES = """
schemes AS (
    SELECT s.id, s.funder, s.prorate_by_days AS prorate, s.hold_without_attendance AS hold_missing,
           s.zero_attendance_pays_nothing AS zero_nothing, s.grant_base_amount,
           s.grant_per_child_amount, s.grant_cap, sp.programme_id
    FROM subsidies_payoutrun_schemes rs
    JOIN subsidies_subsidyscheme s ON s.id = rs.subsidyscheme_id AND s.kind = %(kind)s
    JOIN subsidies_subsidyscheme_programmes sp ON sp.subsidyscheme_id = s.id
    WHERE rs.payoutrun_id = %(run)s
)"""

RUNNING = "e.start_date <= %(last_day)s AND (e.end_date IS NULL OR e.end_date >= %(first_day)s)"
# The enrolled days of the month as a range; its length is the rules' "days enrolled".
SPAN = (
    "daterange(GREATEST(e.start_date, %(first_day)s), "
    "LEAST(COALESCE(e.end_date, %(last_day)s), %(last_day)s), '[]')"
)
ACCOUNT = "ba.is_current AND ba.status = 'checked'"


def _share(amount: str, days: str) -> str:
    """rules._share: amount × days ÷ days in month, half up to the fen (PostgreSQL's round()
    of a positive numeric rounds half away from zero, i.e. half up); 0 without a day."""
    return (
        f"CASE WHEN {days} = 0 THEN 0 WHEN prorate "
        f"THEN round({amount} * {days} / %(month_days)s, 2) ELSE round({amount}, 2) END"
    )


# One line per enrolment: a per-child subsidy to the parent who applied, or the employer's part
# per enrolled child to the centre (paid by the agreement's buyer, else the lead employer).
ENROLMENT_LINES = {
    "monthly_subsidy": {
        "base": "e.subsidy_amount",
        "filter": "e.subsidy_basis = 'per_child'",
        "payee": "'parent'",
        "employer": "p.lead_employer_id",
        "account": "ba.member_id = ap.applicant_id",
    },
    "employer_fee_part": {
        "base": "e.employer_part",
        "filter": "e.payment_mode <> 'per_place'",
        "payee": "'centre'",
        "employer": "COALESCE(pa.buyer_employer_id, p.lead_employer_id)",
        "account": "ba.centre_id = e.centre_id",
    },
}


def enrolment_lines_sql(kind: str) -> str:
    parts = ENROLMENT_LINES[kind]
    return f"""
WITH {SCHEMES},
stays AS (
    SELECT sc.id AS scheme_id, sc.funder, sc.prorate, sc.hold_missing, sc.zero_nothing,
           e.id AS enrolment_id, e.start_date, e.centre_id, ap.applicant_id AS member_id,
           {parts["employer"]} AS employer_id, {parts["payee"]} AS payee_kind,
           {parts["base"]} AS base, upper({SPAN}) - lower({SPAN}) AS days,
           att.days_attended, ba.id AS account_id
    FROM admissions_enrolment e
    JOIN schemes sc ON sc.programme_id = e.programme_id
    JOIN admissions_application ap ON ap.id = e.application_id
    JOIN employers_programme p ON p.id = e.programme_id
    LEFT JOIN employers_placeagreement pa ON pa.id = e.place_agreement_id
    LEFT JOIN admissions_attendance att
           ON att.enrolment_id = e.id AND att.month = %(first_day)s
    LEFT JOIN subsidies_bankaccount ba ON {ACCOUNT} AND {parts["account"]}
    WHERE e.id BETWEEN %(first_id)s AND %(last_id)s AND {RUNNING} AND {parts["filter"]}
),
due AS (
    SELECT stays.*,
           CASE WHEN hold_missing AND days_attended IS NULL THEN 'held_attendance'
                WHEN zero_nothing AND days_attended = 0 THEN 'nothing_due'
                ELSE 'computed' END AS outcome,
           {_share("base", "days")} AS share
    FROM stays
)
{INSERT}
SELECT %(run)s, scheme_id, 'enrolment:' || enrolment_id, enrolment_id, payee_kind, member_id,
       centre_id, employer_id, account_id, funder,
       CASE WHEN outcome = 'nothing_due' THEN 0 ELSE share END,
       CASE WHEN outcome = 'nothing_due' THEN 0 ELSE days END,
       %(month_days)s,
       CASE WHEN outcome <> 'computed' THEN outcome
            WHEN share = 0 THEN 'nothing_due'
            WHEN account_id IS NULL THEN 'held_account'
            ELSE 'payable' END,
       start_date, NULL, now()
FROM due
{CONFLICT}"""


def _days(multirange: str) -> str:
    return f"(SELECT COALESCE(sum(upper(r) - lower(r)), 0) FROM unnest({multirange}) r)"


# One line per worker and scheme (rules.per_worker_subsidy_due). The chunk holding the worker's
# lowest enrolment id writes it, from all the worker's stays, so a worker whose children fall in
# two chunks still gets exactly one line, with the same figure whichever chunk runs first.
PER_WORKER_SQL = f"""
WITH {SCHEMES},
owners AS (
    SELECT DISTINCT sc.id AS scheme_id, ap.applicant_id AS member_id
    FROM admissions_enrolment e
    JOIN schemes sc ON sc.programme_id = e.programme_id
    JOIN admissions_application ap ON ap.id = e.application_id
    WHERE e.id BETWEEN %(first_id)s AND %(last_id)s AND {RUNNING}
      AND e.subsidy_basis = 'per_worker'
),
stays AS (
    SELECT o.scheme_id, o.member_id, sc.funder, sc.prorate, sc.hold_missing, sc.zero_nothing,
           e.id AS enrolment_id, e.start_date, e.centre_id, p.lead_employer_id AS employer_id,
           e.subsidy_amount AS base, {SPAN} AS span, att.days_attended
    FROM owners o
    JOIN admissions_application ap ON ap.applicant_id = o.member_id
    JOIN admissions_enrolment e ON e.application_id = ap.id
    JOIN schemes sc ON sc.id = o.scheme_id AND sc.programme_id = e.programme_id
    JOIN employers_programme p ON p.id = e.programme_id
    LEFT JOIN admissions_attendance att
           ON att.enrolment_id = e.id AND att.month = %(first_day)s
    WHERE {RUNNING} AND e.subsidy_basis = 'per_worker'
),
workers AS (
    SELECT scheme_id, member_id, funder, prorate, hold_missing, zero_nothing,
           min(enrolment_id) AS anchor, min(start_date) AS starts_on,
           (array_agg(centre_id ORDER BY enrolment_id))[1] AS centre_id,
           (array_agg(employer_id ORDER BY enrolment_id))[1] AS employer_id,
           bool_or(days_attended IS NULL) AS any_missing,
           max(base) AS base_all, {_days("range_agg(span)")} AS days_all,
           max(base) FILTER (WHERE days_attended IS DISTINCT FROM 0) AS base_left,
           {_days("range_agg(span) FILTER (WHERE days_attended IS DISTINCT FROM 0)")} AS days_left
    FROM stays
    GROUP BY scheme_id, member_id, funder, prorate, hold_missing, zero_nothing
    HAVING min(enrolment_id) BETWEEN %(first_id)s AND %(last_id)s
),
due AS (
    SELECT w.*, ba.id AS account_id,
           CASE WHEN hold_missing AND any_missing THEN 'held_attendance'
                WHEN zero_nothing AND base_left IS NULL THEN 'nothing_due'
                ELSE 'computed' END AS outcome,
           CASE WHEN hold_missing AND any_missing OR NOT zero_nothing THEN base_all
                ELSE base_left END AS base,
           CASE WHEN hold_missing AND any_missing OR NOT zero_nothing THEN days_all
                ELSE days_left END AS days
    FROM workers w
    LEFT JOIN subsidies_bankaccount ba ON {ACCOUNT} AND ba.member_id = w.member_id
),
shared AS (SELECT due.*, {_share("base", "days")} AS share FROM due)
{INSERT}
SELECT %(run)s, scheme_id, 'member:' || member_id, anchor, 'parent', member_id, centre_id,
       employer_id, account_id, funder,
       CASE WHEN outcome = 'nothing_due' THEN 0 ELSE share END,
       CASE WHEN outcome = 'nothing_due' THEN 0 ELSE days END,
       %(month_days)s,
       CASE WHEN outcome <> 'computed' THEN outcome
            WHEN share = 0 THEN 'nothing_due'
            WHEN account_id IS NULL THEN 'held_account'
            ELSE 'payable' END,
       starts_on, NULL, now()
FROM shared
{CONFLICT}"""

# One line per agreement paid per bought place (rules.bought_places_due): the whole month,
# never prorated nor held for attendance.
AGREEMENT_SQL = f"""
WITH {SCHEMES}
{INSERT}
SELECT %(run)s, sc.id, 'agreement:' || pa.id, NULL, 'centre', NULL, pa.centre_id,
       pa.buyer_employer_id, ba.id, sc.funder, round(pa.agreed_monthly_price * pa.places, 2),
       NULL, NULL, CASE WHEN ba.id IS NULL THEN 'held_account' ELSE 'payable' END,
       pa.start_month, NULL, now()
FROM employers_placeagreement pa
JOIN schemes sc ON sc.programme_id = pa.programme_id
LEFT JOIN subsidies_bankaccount ba ON {ACCOUNT} AND ba.centre_id = pa.centre_id
WHERE pa.id BETWEEN %(first_id)s AND %(last_id)s AND pa.payment_mode = 'per_place'
  AND pa.places > 0
  AND date_trunc('month', pa.start_month) <= %(first_day)s
  AND (pa.end_month IS NULL OR date_trunc('month', pa.end_month) >= %(first_day)s)
{CONFLICT}"""

# One line per unit and scheme (rules.unit_grant_due): the lead employer of an approved
# programme the scheme covers; children = distinct children enrolled in those programmes on at
# least one day of the round's month; minus every earlier unit-grant line of the unit (runs of
# earlier months that were not cancelled; a carried line counts once, through its carry).
GRANT_SQL = f"""
WITH {SCHEMES},
units AS (
    SELECT sc.id AS scheme_id, sc.funder, p.lead_employer_id AS employer_id,
           min(sc.grant_base_amount) AS base, min(sc.grant_per_child_amount) AS per_child,
           min(sc.grant_cap) AS cap, min(p.start_date) AS starts_on,
           array_agg(p.id) AS programme_ids
    FROM schemes sc
    JOIN employers_programme p ON p.id = sc.programme_id AND p.status = 'approved'
    JOIN employers_employer em ON em.id = p.lead_employer_id AND em.status = 'approved'
    WHERE p.lead_employer_id BETWEEN %(first_id)s AND %(last_id)s
    GROUP BY sc.id, sc.funder, p.lead_employer_id
),
children AS (
    SELECT u.scheme_id, u.employer_id, count(DISTINCT e.child_id) AS children
    FROM units u
    JOIN admissions_enrolment e ON e.programme_id = ANY(u.programme_ids)
    WHERE {RUNNING}
    GROUP BY u.scheme_id, u.employer_id
),
granted AS (
    SELECT l.employer_id, sum(l.amount) AS amount
    FROM subsidies_payoutline l
    JOIN subsidies_payoutrun r ON r.id = l.run_id
    JOIN subsidies_subsidyscheme s ON s.id = l.scheme_id AND s.kind = 'unit_grant'
    WHERE r.status <> 'cancelled' AND r.period < %(first_day)s
      AND l.status NOT IN ('carried', 'nothing_due')
      AND l.employer_id BETWEEN %(first_id)s AND %(last_id)s
    GROUP BY l.employer_id
),
due AS (
    SELECT u.*, ba.id AS account_id,
           round(GREATEST(LEAST(u.base + u.per_child * COALESCE(c.children, 0), u.cap,
                                %(grant_limit)s) - COALESCE(g.amount, 0), 0), 2) AS amount
    FROM units u
    LEFT JOIN children c ON c.scheme_id = u.scheme_id AND c.employer_id = u.employer_id
    LEFT JOIN granted g ON g.employer_id = u.employer_id
    LEFT JOIN subsidies_bankaccount ba ON {ACCOUNT} AND ba.employer_id = u.employer_id
)
{INSERT}
SELECT %(run)s, scheme_id, 'employer:' || employer_id, NULL, 'employer', NULL, NULL,
       employer_id, account_id, funder, amount, NULL, NULL,
       CASE WHEN amount = 0 THEN 'nothing_due'
            WHEN account_id IS NULL THEN 'held_account'
            ELSE 'payable' END,
       starts_on, NULL, now()
FROM due
{CONFLICT}"""

# Lines held for budget or a missing bank account in approved runs of earlier months, brought
# forward with their amount; the bank account is looked up again.
CARRIED_SQL = f"""
{INSERT}
SELECT %(run)s, o.scheme_id, 'line:' || o.id, o.enrolment_id, o.payee_kind, o.member_id,
       o.centre_id, o.employer_id, ba.id, o.funder, o.amount, o.days_enrolled,
       o.days_in_month, CASE WHEN ba.id IS NULL THEN 'held_account' ELSE 'payable' END,
       o.starts_on, o.id, now()
FROM subsidies_payoutline o
JOIN subsidies_payoutrun r ON r.id = o.run_id
JOIN subsidies_payoutrun_schemes rs
  ON rs.payoutrun_id = %(run)s AND rs.subsidyscheme_id = o.scheme_id
LEFT JOIN subsidies_bankaccount ba ON {ACCOUNT} AND (
       (o.payee_kind = 'parent' AND ba.member_id = o.member_id)
    OR (o.payee_kind = 'centre' AND ba.centre_id = o.centre_id)
    OR (o.payee_kind = 'employer' AND ba.employer_id = o.employer_id))
WHERE o.id BETWEEN %(first_id)s AND %(last_id)s
  AND o.status IN ('held_budget', 'held_account')
  AND r.kind = %(run_kind)s AND r.status IN ('approved', 'exported', 'paid')
  AND r.period < %(first_day)s
{CONFLICT}"""

# The enrolments whose attendance a chunk reads: its own, and the other stays of the workers
# whose per-worker line it writes.
_COVERED_PROGRAMMES = """
    SELECT sp.programme_id FROM subsidies_subsidyscheme_programmes sp
    JOIN subsidies_payoutrun_schemes rs ON rs.subsidyscheme_id = sp.subsidyscheme_id
    WHERE rs.payoutrun_id = %(run)s"""
READ_ENROLMENTS = f"""
    SELECT e.id FROM admissions_enrolment e
    WHERE e.id BETWEEN %(first_id)s AND %(last_id)s AND {RUNNING}
      AND e.programme_id IN ({_COVERED_PROGRAMMES})
    UNION
    SELECT sibling.id FROM admissions_enrolment e
    JOIN admissions_application ap ON ap.id = e.application_id
    JOIN admissions_application other ON other.applicant_id = ap.applicant_id
    JOIN admissions_enrolment sibling ON sibling.application_id = other.id
    WHERE e.id BETWEEN %(first_id)s AND %(last_id)s AND {RUNNING}
      AND e.subsidy_basis = 'per_worker' AND sibling.subsidy_basis = 'per_worker'
      AND sibling.start_date <= %(last_day)s
      AND (sibling.end_date IS NULL OR sibling.end_date >= %(first_day)s)
      AND sibling.programme_id IN ({_COVERED_PROGRAMMES})"""
# Lock those enrolments against attendance reports (which lock them FOR UPDATE first), then
# mark their month's attendance as used, before the lines read it: nothing a centre corrects
# can slip between the figure read and the lock. KEY SHARE leaves other enrolment updates free.
LOCK_ENROLMENTS_SQL = f"""
SELECT count(*) FROM (
    SELECT e.id FROM admissions_enrolment e WHERE e.id IN ({READ_ENROLMENTS})
    ORDER BY e.id FOR KEY SHARE
) locked
"""
MARK_ATTENDANCE_SQL = f"""
UPDATE admissions_attendance SET used_by_payout_run_id = %(run)s
WHERE month = %(first_day)s AND used_by_payout_run_id IS NULL
  AND enrolment_id IN ({READ_ENROLMENTS})
"""


def month_params(period: date) -> dict:
    first_day, last_day = month_bounds(period)
    return {"first_day": first_day, "last_day": last_day, "month_days": days_in_month(period)}


def chunk_statements(chunk_kind: str) -> list[tuple[str, str]]:
    """(scheme kind, SQL) for each statement a chunk of `chunk_kind` runs, in order."""
    return {
        "enrolments": [
            ("monthly_subsidy", enrolment_lines_sql("monthly_subsidy")),
            ("monthly_subsidy", PER_WORKER_SQL),
            ("employer_fee_part", enrolment_lines_sql("employer_fee_part")),
        ],
        "agreements": [("employer_fee_part", AGREEMENT_SQL)],
        "employers": [("unit_grant", GRANT_SQL)],
        "carried": [("", CARRIED_SQL)],
    }[chunk_kind]


def insert_lines(
    *, run_id: int, run_kind: str, period: date, chunk_kind: str, first_id: int, last_id: int
) -> int:
    """Insert the chunk's lines; returns how many were new (0 when repeated)."""
    params = {
        "run": run_id,
        "run_kind": run_kind,
        "first_id": first_id,
        "last_id": last_id,
        "grant_limit": UNIT_GRANT_LIMIT,
        **month_params(period),
    }
    inserted = 0
    with connection.cursor() as cursor:
        if chunk_kind == "enrolments":
            cursor.execute(LOCK_ENROLMENTS_SQL, params)
            cursor.execute(MARK_ATTENDANCE_SQL, params)
        for scheme_kind, sql in chunk_statements(chunk_kind):
            cursor.execute(sql, {**params, "kind": scheme_kind})
            inserted += cursor.rowcount
    return inserted
