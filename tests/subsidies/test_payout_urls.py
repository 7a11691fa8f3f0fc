"""The project's own URLconf serves the payout pages: union staff reach them from the dashboard,
and the admin's payout run page (which links to them) opens."""

import pytest
from django.urls import reverse

from tests.subsidies.test_payout_support import payable_scheme, start

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(client, union_staff):
    client.force_login(union_staff)
    return client


def test_the_union_staff_dashboard_links_to_the_payout_runs(staff):
    dashboard = staff.get("/dashboard/").content.decode()

    assert 'href="/dashboard/payouts/"' in dashboard
    assert staff.get("/dashboard/payouts/").status_code == 200


def test_the_admin_page_of_a_run_links_to_its_dashboard_page(staff):
    payable_scheme()
    run = start()  # its chunks are sent on commit, which this test's transaction never reaches

    page = staff.get(reverse("admin:subsidies_payoutrun_change", args=[run.pk])).content.decode()

    assert f'href="/dashboard/payouts/{run.pk}/"' in page
    assert staff.get(f"/dashboard/payouts/{run.pk}/").status_code == 200
