import pytest

from apps.employers.selectors.registry import employee_list, employer_actable_list, employer_list
from tests.employers.factories import EmploymentFactory
from tests.members.helpers import ACTORS

pytestmark = pytest.mark.django_db

EMPLOYERS_SEEN = {
    "anonymous": set(),
    "parent": {"employer"},
    "other_parent": {"other_employer"},
    "employer_admin": {"employer"},
    "other_employer_admin": {"other_employer"},
    "centre_admin": set(),
    "reviewer": set(),
    "union_staff": {"employer", "other_employer"},
}


@pytest.mark.parametrize("actor", ACTORS, indirect=True)
def test_employer_list_is_scoped_to_each_role(request, actor, registry):
    expected = {request.getfixturevalue(name) for name in EMPLOYERS_SEEN[request.node.callspec.id]}

    assert set(employer_list(user=actor)) == expected


@pytest.mark.parametrize("actor", ACTORS, indirect=True)
def test_employee_list_is_for_the_employers_admin_and_union_staff(
    request, actor, registry, employer
):
    employment, _other = registry
    allowed = request.node.callspec.id in {"employer_admin", "union_staff"}

    assert list(employee_list(user=actor, employer=employer)) == ([employment] if allowed else [])


def test_employer_list_still_shows_an_admin_their_suspended_employer(employer_admin_user, employer):
    employer.status = "suspended"
    employer.save()

    assert list(employer_list(user=employer_admin_user)) == [employer]


@pytest.mark.parametrize("status", ["pending", "refused", "suspended"])
def test_an_admin_cannot_act_for_an_employer_that_is_not_approved(
    employer_admin_user, employment, status
):
    employer = employment.employer
    employer.status = status
    employer.save()

    assert list(employer_actable_list(user=employer_admin_user)) == []
    assert list(employee_list(user=employer_admin_user, employer=employer)) == []


def test_union_staff_can_act_for_a_suspended_employer(union_staff, employment):
    employer = employment.employer
    employer.status = "suspended"
    employer.save()

    assert list(employee_list(user=union_staff, employer=employer)) == [employment]


def test_a_parent_sees_an_employer_they_only_claimed(other_parent_user, other_member, employer):
    EmploymentFactory(member=other_member, employer=employer, status="pending")

    assert list(employer_list(user=other_parent_user)) == [employer]
