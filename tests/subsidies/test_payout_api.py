"""The payout-run API, union staff only: start, progress, resume, approve (four eyes), cancel,
export, bank return, lines and report; an approved run refuses every change."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.subsidies.models import PayoutLine, PayoutRun
from apps.subsidies.services import payout_calculation, payout_dispatch, payouts
from tests.members.factories import MemberFactory
from tests.subsidies.factories import BudgetFactory, ProgrammeFactory, SchemeFactory, enrol
from tests.subsidies.test_payout_support import URLCONF, account, attendance, compute, start

pytestmark = [pytest.mark.django_db, pytest.mark.urls(URLCONF), pytest.mark.usefixtures("english")]
D = Decimal


@pytest.fixture
def scheme():
    programme = ProgrammeFactory()
    created = SchemeFactory(programmes=[programme])
    BudgetFactory(scheme=created, amount=D("10000.00"))
    for subsidy in ("200.00", "150.00"):
        member = MemberFactory()
        account(member=member, account_number="6217000315000012345")
        attendance(enrol(programme=programme, applicant=member, subsidy_amount=D(subsidy)), 18)
    return created


@pytest.fixture
def staff_client(api_client, union_staff):
    api_client.force_authenticate(union_staff)
    return api_client


def _url(name: str, run=None) -> str:
    return reverse(f"api-payout-run-{name}", kwargs={"pk": run.pk} if run else None)


def test_union_staff_start_a_run_and_get_201(staff_client, scheme, union_staff):
    response = staff_client.post(_url("list"), {"period": "2026-10"}, format="json")

    run = PayoutRun.objects.get()
    assert response.status_code == 201
    assert response.json() | {"started_at": None, "progressed_at": None} == {
        "id": run.pk,
        "kind": "monthly",
        "period": "2026-10",
        "status": "calculating",
        "status_label": "calculating",
        "started_by": union_staff.username,
        "approved_by": None,
        "chunks_total": 1,
        "chunks_done": 0,
        "progress_percent": 0,
        "stuck": False,
        "total_amount": "0.00",
        "held_amount": "0.00",
        "started_at": None,
        "progressed_at": None,
        "calculated_at": None,
        "approved_at": None,
        "exported_at": None,
        "paid_at": None,
    }


def test_starting_a_period_that_has_a_run_returns_it_with_200(staff_client, scheme):
    run = compute(start())

    response = staff_client.post(_url("list"), {"period": "2026-10"}, format="json")

    assert (response.status_code, response.json()["id"]) == (200, run.pk)
    assert PayoutLine.objects.count() == 2


def test_a_malformed_period_names_the_field(staff_client, scheme):
    response = staff_client.post(_url("list"), {"period": "2026-13"}, format="json")

    assert response.status_code == 400
    assert response.json()["fields"] == {"period": ["Enter a month as YYYY-MM."]}
    assert PayoutRun.objects.count() == 0


def test_the_detail_shows_progress(staff_client, scheme):
    run = start(chunk_size=1)
    PayoutRun.objects.filter(pk=run.pk).update(chunks_done=1)

    body = staff_client.get(_url("detail", run)).json()

    assert (body["chunks_done"], body["chunks_total"], body["progress_percent"]) == (1, 2, 50)


@pytest.fixture
def stuck_run(scheme):
    run = start(chunk_size=1)
    PayoutRun.objects.filter(pk=run.pk).update(progressed_at=timezone.now() - timedelta(minutes=11))
    return run


def test_a_run_without_progress_for_ten_minutes_shows_stuck(staff_client, stuck_run):
    body = staff_client.get(_url("detail", stuck_run)).json()

    assert (body["status"], body["stuck"]) == ("calculating", True)


def test_resuming_a_stuck_run_sends_its_unfinished_chunks_and_clears_stuck(
    staff_client, stuck_run, monkeypatch
):
    sent = []
    monkeypatch.setattr(payout_dispatch, "send_chunks", lambda ids, queue=None: sent.append(ids))
    payout_calculation.payout_chunk_compute(chunk_id=stuck_run.chunks.get(number=1).pk)
    PayoutRun.objects.filter(pk=stuck_run.pk).update(
        progressed_at=timezone.now() - timedelta(minutes=11)
    )

    response = staff_client.post(_url("resume", stuck_run))

    assert (response.status_code, response.json()["stuck"]) == (200, False)
    assert sent == [[stuck_run.chunks.get(number=2).pk]]


def test_the_starter_is_refused_approval_with_a_clear_403(staff_client, scheme, union_staff):
    run = compute(start(actor=union_staff))

    response = staff_client.post(_url("approve", run))

    assert response.status_code == 403
    assert response.json() == {
        "code": "four_eyes",
        "message": f"You started payout run {run.pk}, so another union staff member must "
        "approve it.",
        "fields": {
            "approved_by": [
                f"You started payout run {run.pk}, so another union staff member must approve it."
            ]
        },
    }
    run.refresh_from_db()
    assert run.status == "calculated"


def test_another_staff_member_approves(api_client, scheme, union_staff, union_staff2):
    run = compute(start(actor=union_staff))
    api_client.force_authenticate(union_staff2)

    response = api_client.post(_url("approve", run))

    assert (response.status_code, response.json()["status"]) == (200, "approved")
    assert response.json()["approved_by"] == union_staff2.username


def test_cancelling_needs_a_reason(staff_client, scheme):
    run = compute(start())

    response = staff_client.post(_url("cancel", run), {}, format="json")

    assert response.status_code == 400
    assert response.json()["fields"] == {"reason": ["This field is required."]}


def test_cancelling_a_calculated_run(staff_client, scheme):
    run = compute(start())

    response = staff_client.post(_url("cancel", run), {"reason": "重算"}, format="json")

    assert (response.status_code, response.json()["status"]) == (200, "cancelled")


@pytest.fixture
def approved(scheme, union_staff, union_staff2):
    run = compute(start(actor=union_staff))
    return payouts.payout_run_approve(run=run, actor=union_staff2)


@pytest.mark.parametrize(
    ("name", "body"),
    [("cancel", {"reason": "改"}), ("resume", {}), ("approve", {})],
)
def test_an_approved_run_refuses_changes_through_the_api(staff_client, approved, name, body):
    lines = sorted(PayoutLine.objects.values_list("id", "amount", "status"))

    response = staff_client.post(_url(name, approved), body, format="json")

    assert (response.status_code, response.json()["code"]) == (409, "payout_run_locked")
    approved.refresh_from_db()
    assert approved.status == "approved"
    assert sorted(PayoutLine.objects.values_list("id", "amount", "status")) == lines


def test_the_api_has_no_way_to_edit_or_delete_a_run(staff_client, approved):
    for method in ("put", "patch", "delete"):
        response = getattr(staff_client, method)(_url("detail", approved), {}, format="json")
        assert response.status_code == 405


def test_exporting_an_approved_run_lists_its_bank_sheets(staff_client, approved):
    response = staff_client.post(_url("export", approved))

    body = response.json()
    assert (response.status_code, body["run"]["status"]) == (200, "exported")
    assert body["sheets"] == [
        {
            "funder": "employer",
            "rows": 2,
            "amount": "350.00",
            "download": f"http://testserver/dashboard/payouts/{approved.pk}/bank/employer.xlsx",
        }
    ]


def test_the_lines_are_listed_with_masked_accounts(staff_client, approved):
    body = staff_client.get(_url("lines", approved)).json()

    assert body["count"] == 2
    assert [line["account"] for line in body["results"]] == ["6217***********2345"] * 2
    assert sorted(line["amount"] for line in body["results"]) == ["150.00", "200.00"]


def test_the_lines_filter_by_status(staff_client, approved):
    body = staff_client.get(_url("lines", approved), {"status": "held_budget"}).json()

    assert body["count"] == 0


def test_the_report_totals_by_scheme_funder_employer_and_centre(staff_client, approved, scheme):
    body = staff_client.get(_url("report", approved)).json()

    assert body["scheme"] == [
        {
            "key": str(scheme.pk),
            "name": scheme.name,
            "lines": 2,
            "payable": "350.00",
            "held": "0.00",
            "paid": "0.00",
        }
    ]
    assert body["funder"] == [
        {
            "key": "employer",
            "name": "employer funds",
            "lines": 2,
            "payable": "350.00",
            "held": "0.00",
            "paid": "0.00",
        }
    ]
    assert [row["lines"] for row in body["centre"]] == [1, 1]
    assert [row["payable"] for row in body["employer"]] == ["350.00"]


def test_listing_runs_takes_the_same_queries_for_1_and_30_runs(
    staff_client, scheme, django_assert_max_num_queries
):
    start()
    with django_assert_max_num_queries(4):
        assert staff_client.get(_url("list")).json()["count"] == 1
    PayoutRun.objects.bulk_create(
        PayoutRun(kind="monthly", period=date(2020 + n // 12, n % 12 + 1, 1)) for n in range(29)
    )
    with django_assert_max_num_queries(4):
        assert staff_client.get(_url("list"), {"page_size": 30}).json()["count"] == 30


def test_listing_lines_takes_the_same_queries_for_2_and_30_lines(
    staff_client, approved, django_assert_max_num_queries
):
    with django_assert_max_num_queries(5):
        staff_client.get(_url("lines", approved))
    extra = [
        PayoutLine(
            run=approved,
            scheme_id=line.scheme_id,
            subject=f"x:{n}",
            payee_kind="parent",
            member_id=line.member_id,
            bank_account_id=line.bank_account_id,
            funder="employer",
            amount=D("1.00"),
        )
        for n, line in enumerate([approved.lines.first()] * 28)
    ]
    PayoutLine.objects.bulk_create(extra)
    with django_assert_max_num_queries(5):
        assert staff_client.get(_url("lines", approved), {"page_size": 30}).json()["count"] == 30
