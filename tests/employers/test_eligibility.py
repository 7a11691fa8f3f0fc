"""Who may apply to which programme for a start month (selectors.programmes)."""

from datetime import date

import pytest

from apps.employers.models import Employment, Programme
from apps.employers.selectors.programmes import programme_open_list, programme_refusal
from apps.members.models import Member
from tests.centres.factories import CentreFactory
from tests.employers.factories import EmployerFactory, EmploymentFactory
from tests.employers.test_programme_factories import ProgrammeFactory, tenant
from tests.members.factories import MemberFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


MARCH = date(2026, 3, 1)


@pytest.fixture
def worker():
    return MemberFactory(membership=Member.Membership.NONE)


def open_ids(member, month=MARCH) -> list[int]:
    return list(programme_open_list(member=member, month=month).values_list("pk", flat=True))


def assert_refused(member, programme, reason: str, month=MARCH) -> None:
    assert programme.pk not in open_ids(member, month)
    assert programme_refusal(member=member, programme=programme, month=month) == reason


def assert_eligible(member, programme, month=MARCH) -> None:
    assert open_ids(member, month) == [programme.pk]
    assert programme_refusal(member=member, programme=programme, month=month) is None


def test_worker_on_the_lead_employers_roster_is_eligible(worker):
    programme = ProgrammeFactory(centres=[CentreFactory()])
    EmploymentFactory(member=worker, employer=programme.lead_employer)

    assert_eligible(worker, programme)


def test_worker_of_a_listed_tenant_business_is_eligible_for_the_co_built_programme(worker):
    shop = tenant()
    programme = ProgrammeFactory(delivery_model="co_built", employers=[shop])
    EmploymentFactory(member=worker, employer=shop)

    assert_eligible(worker, programme)


def test_worker_of_a_joint_programmes_partner_is_eligible(worker):
    partner = EmployerFactory()
    programme = ProgrammeFactory(employers=[EmployerFactory(), partner])
    EmploymentFactory(member=worker, employer=partner)

    assert_eligible(worker, programme)


def test_worker_at_both_the_lead_and_a_listed_employer_sees_the_programme_once(worker):
    programme = ProgrammeFactory()
    programme.employers.set([programme.lead_employer])
    EmploymentFactory(member=worker, employer=programme.lead_employer)

    assert open_ids(worker) == [programme.pk]


def test_verified_union_member_is_eligible_for_a_federation_programme():
    member = MemberFactory(membership=Member.Membership.VERIFIED)
    programme = ProgrammeFactory(federation_run=True)

    assert_eligible(member, programme)


def test_claimed_but_unverified_membership_is_refused_a_federation_programme():
    member = MemberFactory(membership=Member.Membership.CLAIMED)
    programme = ProgrammeFactory(federation_run=True)

    assert_refused(member, programme, "Only verified union members may apply to this programme.")


def test_member_of_an_unlisted_employer_is_refused(worker):
    programme = ProgrammeFactory(employers=[tenant()])
    EmploymentFactory(member=worker, employer=EmployerFactory())

    assert_refused(worker, programme, "This programme is for workers of the employers it lists.")


@pytest.mark.parametrize(
    "status", [Employment.Status.PENDING, Employment.Status.REFUSED, Employment.Status.LEFT]
)
def test_employment_not_active_is_refused(worker, status):
    programme = ProgrammeFactory()
    EmploymentFactory(member=worker, employer=programme.lead_employer, status=status)

    assert_refused(worker, programme, "This programme is for workers of the employers it lists.")


@pytest.mark.parametrize(
    ("status", "label"),
    [("draft", "draft"), ("submitted", "awaiting approval"), ("suspended", "suspended")],
)
def test_programme_not_approved_is_refused(worker, status, label):
    programme = ProgrammeFactory(status=status)
    EmploymentFactory(member=worker, employer=programme.lead_employer)

    assert_refused(worker, programme, f"This programme is not open: it is “{label}”.")


def test_programme_ended_before_the_start_month_is_refused(worker):
    programme = ProgrammeFactory(end_date=date(2026, 2, 28))
    EmploymentFactory(member=worker, employer=programme.lead_employer)

    assert_refused(worker, programme, "This programme ended on 2026-02-28.")


def test_programme_ending_on_the_first_of_the_start_month_still_runs_that_month(worker):
    programme = ProgrammeFactory(end_date=MARCH)
    EmploymentFactory(member=worker, employer=programme.lead_employer)

    assert_eligible(worker, programme)


def test_programme_starting_after_the_first_of_the_month_is_refused_for_that_month(worker):
    programme = ProgrammeFactory(start_date=date(2026, 3, 2))
    EmploymentFactory(member=worker, employer=programme.lead_employer)

    assert_refused(worker, programme, "This programme starts on 2026-03-02.")
    assert_eligible(worker, programme, month=date(2026, 4, 1))


def test_programme_starting_on_the_first_of_the_month_runs_that_month(worker):
    programme = ProgrammeFactory(start_date=MARCH)
    EmploymentFactory(member=worker, employer=programme.lead_employer)

    assert_eligible(worker, programme)


def test_ended_status_refuses_even_within_the_dates(worker):
    programme = ProgrammeFactory(status=Programme.Status.ENDED)
    EmploymentFactory(member=worker, employer=programme.lead_employer)

    assert_refused(worker, programme, "This programme is not open: it is “ended”.")


def test_no_member_record_means_no_programme():
    ProgrammeFactory(federation_run=True)

    assert list(programme_open_list(member=None, month=MARCH)) == []
