import pytest

from tests.employers.factories import EmployerAdminFactory, EmployerFactory, EmploymentFactory
from tests.members import conftest as members_fixtures

# The members tests' fixtures, shared here (conftest files are per directory).
actor = members_fixtures.actor
member = members_fixtures.member
other_member = members_fixtures.other_member
child = members_fixtures.child
other_child = members_fixtures.other_child


@pytest.fixture
def employer(employer_admin_user):
    """An approved employer administered by `employer_admin_user`."""
    return EmployerAdminFactory(
        user=employer_admin_user, employer=EmployerFactory(name="迁安钢铁有限公司")
    ).employer


@pytest.fixture
def other_employer_admin_user(db):
    return EmployerAdminFactory(employer=EmployerFactory(name="万嘉市场置业有限公司")).user


@pytest.fixture
def other_employer(other_employer_admin_user):
    return other_employer_admin_user.employer_admin.employer


@pytest.fixture
def employment(member, employer):
    return EmploymentFactory(member=member, employer=employer, department="炼钢车间")


@pytest.fixture
def other_employment(other_member, other_employer):
    return EmploymentFactory(member=other_member, employer=other_employer)


@pytest.fixture
def registry(employment, other_employment, child, other_child):
    """Two employers, each with an admin and one employee who has a child."""
    return employment, other_employment
