"""Dashboard pages for payout runs and the admin console: union staff only, read-only runs,
progress, buttons that call the services, the report and the bank sheets."""

import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from apps.subsidies.models import PayoutLine, PayoutRun
from apps.subsidies.services import payout_dispatch, payouts
from tests.accounts.factories import UserFactory
from tests.members.factories import MemberFactory
from tests.subsidies.factories import BudgetFactory, ProgrammeFactory, SchemeFactory, enrol
from tests.subsidies.test_payout_support import URLCONF, account, attendance, compute, start

pytestmark = [pytest.mark.django_db, pytest.mark.urls(URLCONF), pytest.mark.usefixtures("english")]
D = Decimal


@pytest.fixture
def scheme():
    programme = ProgrammeFactory()
    created = SchemeFactory(programmes=[programme], name="鑫达托育补贴")
    BudgetFactory(scheme=created, amount=D("10000.00"))
    member = MemberFactory()
    account(member=member, account_number="6217000315000012345")
    attendance(enrol(programme=programme, applicant=member), 18)
    return created


@pytest.fixture
def staff(client, union_staff):
    client.force_login(union_staff)
    return client


def test_the_run_list_shows_runs_with_their_progress(staff, scheme):
    run = start()

    page = staff.get(reverse("payout-run-list")).content.decode()

    assert f'href="/dashboard/payouts/{run.pk}/"' in page
    assert '<progress max="1" value="0"></progress> 0 / 1' in page


def test_starting_from_the_list_opens_the_run(staff, scheme):
    response = staff.post(reverse("payout-run-list"), {"kind": "monthly", "period": "2026-10"})

    run = PayoutRun.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/dashboard/payouts/{run.pk}/"


def test_a_bad_period_is_shown_on_the_form(staff, scheme):
    response = staff.post(reverse("payout-run-list"), {"kind": "monthly", "period": "10/2026"})

    assert response.status_code == 400
    assert "Give the month as YYYY-MM." in response.content.decode()
    assert PayoutRun.objects.count() == 0


@pytest.mark.parametrize("role", ["parent", "employer_admin", "centre_admin", "reviewer"])
def test_only_union_staff_see_the_payout_pages(client, scheme, role):
    client.force_login(UserFactory(role=role))

    assert client.get(reverse("payout-run-list")).status_code == 403


def test_visitors_are_sent_to_sign_in(client, scheme):
    response = client.get(reverse("payout-run-list"))

    assert (response.status_code, response["Location"].split("?")[0]) == (302, "/accounts/login/")


def test_a_calculating_run_polls_its_progress_from_the_api(staff, scheme):
    run = start()

    page = staff.get(reverse("payout-run-detail", args=[run.pk])).content.decode()

    assert f'data-url="/api/v1/payout-runs/{run.pk}/"' in page
    assert "fetch(box.dataset.url" in page
    assert f'action="/dashboard/payouts/{run.pk}/resume/"' in page


def test_the_approve_button_calls_the_service_and_refuses_the_starter(staff, scheme, union_staff):
    run = compute(start(actor=union_staff))

    response = staff.post(reverse("payout-run-action", args=[run.pk, "approve"]), follow=True)

    assert "another union staff member must approve it" in response.content.decode()
    run.refresh_from_db()
    assert run.status == "calculated"


def test_the_report_page_and_its_xlsx(staff, scheme):
    run = compute(start())

    page = staff.get(reverse("payout-run-report", args=[run.pk])).content.decode()
    download = staff.get(reverse("payout-run-report", args=[run.pk]), {"format": "xlsx"})

    assert "鑫达托育补贴" in page
    rows = list(load_workbook(io.BytesIO(download.content)).active.iter_rows(values_only=True))
    assert rows[0] == ("Section", "Name", "Lines", "Payable", "Held", "Paid")
    assert rows[1] == ("By scheme", "鑫达托育补贴", 1, 200, 0, 0)


@pytest.fixture
def exported(scheme, union_staff, union_staff2):
    run = payouts.payout_run_approve(run=compute(start(actor=union_staff)), actor=union_staff2)
    return payouts.payout_run_export(run=run, actor=union_staff)


def test_the_bank_sheet_page_masks_accounts_and_the_file_has_them_in_full(staff, exported):
    page = staff.get(reverse("payout-run-bank-sheet", args=[exported.pk, "employer"]))
    download = staff.get(reverse("payout-run-bank-file", args=[exported.pk, "employer"]))

    assert "6217***********2345" in page.content.decode()
    assert "6217000315000012345" not in page.content.decode()
    rows = list(load_workbook(io.BytesIO(download.content)).active.iter_rows(values_only=True))
    assert rows[1][2] == "6217000315000012345"
    assert download["Cache-Control"] == "private, no-store"


PAGES = {
    "detail": ("get", "payout-run-detail", []),
    "report": ("get", "payout-run-report", []),
    "bank sheet": ("get", "payout-run-bank-sheet", ["employer"]),
    "bank file": ("get", "payout-run-bank-file", ["employer"]),
    "export button": ("post", "payout-run-action", ["export"]),
}


@pytest.mark.parametrize("page", list(PAGES))
@pytest.mark.parametrize("role", ["parent", "employer_admin", "centre_admin", "reviewer"])
def test_no_other_role_reaches_a_runs_pages_or_its_bank_file(client, exported, role, page):
    method, name, args = PAGES[page]
    client.force_login(UserFactory(role=role))

    response = getattr(client, method)(reverse(name, args=[exported.pk, *args]))

    assert response.status_code == 403
    assert b"6217000315000012345" not in response.content


def test_a_funder_without_a_sheet_is_not_found(staff, exported):
    url = reverse("payout-run-bank-file", args=[exported.pk, "city"])

    assert staff.get(url).status_code == 404


# Admin


def test_the_admin_changelist_shows_progress_and_the_stuck_flag(staff, scheme):
    start()

    page = staff.get(reverse("admin:subsidies_payoutrun_changelist")).content.decode()

    assert '<progress max="1" value="0"></progress> 0 / 1' in page
    assert "icon-no.svg" in page


@pytest.fixture
def stuck_run(scheme):
    run = start()
    PayoutRun.objects.filter(pk=run.pk).update(progressed_at=timezone.now() - timedelta(minutes=11))
    return run


@pytest.fixture
def sent(monkeypatch):
    calls = []
    monkeypatch.setattr(
        payout_dispatch, "send_chunks", lambda ids, queue=None: calls.append(list(ids))
    )
    return calls


def test_a_run_without_progress_for_ten_minutes_shows_stuck_in_the_admin(staff, stuck_run):
    page = staff.get(reverse("admin:subsidies_payoutrun_changelist")).content.decode()

    assert "icon-yes.svg" in page
    assert "icon-no.svg" not in page


def test_a_stuck_run_shows_the_banner_and_the_resume_button_on_the_dashboard(staff, stuck_run):
    page = staff.get(reverse("payout-run-detail", args=[stuck_run.pk])).content.decode()

    assert '<p class="stuck" id="stuck-banner">' in page
    assert f'action="/dashboard/payouts/{stuck_run.pk}/resume/"' in page


def test_the_admin_resume_button_sends_the_unfinished_chunks_and_clears_stuck(
    staff, stuck_run, sent
):
    url = reverse("admin:subsidies_payoutrun_step", args=[stuck_run.pk, "resume"])

    response = staff.post(url)

    assert response.status_code == 302
    assert sent == [list(stuck_run.chunks.values_list("pk", flat=True))]
    stuck_run.refresh_from_db()
    assert payouts.is_stuck(stuck_run) is False


def test_the_dashboard_resume_button_sends_the_unfinished_chunks(staff, stuck_run, sent):
    staff.post(reverse("payout-run-action", args=[stuck_run.pk, "resume"]))

    assert sent == [list(stuck_run.chunks.values_list("pk", flat=True))]
    stuck_run.refresh_from_db()
    assert payouts.is_stuck(stuck_run) is False


def test_the_admin_changelist_search_finds_a_run_by_id(staff, scheme):
    run = start()

    response = staff.get(reverse("admin:subsidies_payoutrun_changelist"), {"q": str(run.pk)})

    assert response.status_code == 200
    assert response.context["cl"].result_count == 1


def test_the_admin_changelist_takes_the_same_queries_for_1_and_30_runs(
    staff, scheme, django_assert_max_num_queries
):
    from datetime import date

    start()
    url = reverse("admin:subsidies_payoutrun_changelist")
    with django_assert_max_num_queries(12):
        staff.get(url)
    PayoutRun.objects.bulk_create(
        PayoutRun(kind="monthly", period=date(2020 + n // 12, n % 12 + 1, 1)) for n in range(29)
    )
    with django_assert_max_num_queries(12):
        assert staff.get(url).context["cl"].result_count == 30


def test_the_admin_starts_a_run_through_its_form(staff, scheme):
    response = staff.post(
        reverse("admin:subsidies_payoutrun_start"), {"kind": "monthly", "period": "2026-10"}
    )

    run = PayoutRun.objects.get()
    assert response["Location"] == reverse("admin:subsidies_payoutrun_change", args=[run.pk])


def test_the_admin_change_page_shows_the_run_and_its_lines_read_only(staff, scheme):
    run = compute(start())

    page = staff.get(reverse("admin:subsidies_payoutrun_change", args=[run.pk])).content.decode()

    assert 'name="_save"' not in page
    assert f'action="/admin/subsidies/payoutrun/{run.pk}/step/approve/"' in page
    assert f"enrolment:{run.lines.get().enrolment_id}" in page


def test_an_approved_run_cannot_be_changed_through_the_admin(
    staff, scheme, union_staff, union_staff2
):
    run = payouts.payout_run_approve(run=compute(start(actor=union_staff)), actor=union_staff2)
    url = reverse("admin:subsidies_payoutrun_change", args=[run.pk])

    posted = staff.post(url, {"status": "calculated", "total_amount": "0"})
    cancelled = staff.post(
        reverse("admin:subsidies_payoutrun_step", args=[run.pk, "cancel"]), {"reason": "改"}
    )

    assert posted.status_code == 403
    assert cancelled.status_code == 302
    run.refresh_from_db()
    assert (run.status, run.total_amount) == ("approved", D("200.00"))
    assert PayoutLine.objects.get().amount == D("200.00")
    assert "approved run is never changed" in staff.get(url).content.decode()


def test_the_admin_approve_action_applies_to_selected_runs(client, scheme, union_staff2):
    run = compute(start())
    client.force_login(union_staff2)

    client.post(
        reverse("admin:subsidies_payoutrun_changelist"),
        {"action": "approve_runs", "_selected_action": [run.pk], "reason": ""},
    )

    run.refresh_from_db()
    assert (run.status, run.approved_by) == ("approved", union_staff2)
