import pytest
from django.contrib.auth.models import AnonymousUser

from apps.accounts.models import Role
from tests.accounts.factories import UserFactory
from tests.members.factories import ChildFactory, MemberFactory

ACTOR_FIXTURES = {
    "parent": "parent_user",
    "other_parent": "other_parent_user",
    "employer_admin": "employer_admin_user",
    "other_employer_admin": "other_employer_admin_user",
    "centre_admin": "centre_admin_user",
    "reviewer": "reviewer_user",
    "union_staff": "union_staff",
}


@pytest.fixture
def other_employer_admin_user(db):
    return UserFactory(role=Role.EMPLOYER_ADMIN)


@pytest.fixture
def member(parent_user):
    return MemberFactory(user=parent_user)


@pytest.fixture
def other_member(other_parent_user):
    return MemberFactory(user=other_parent_user)


@pytest.fixture
def child(member):
    return ChildFactory(guardian=member)


@pytest.fixture
def other_child(other_member):
    return ChildFactory(guardian=other_member)


@pytest.fixture
def actor(request):
    """Parametrise indirectly with a name from tests.members.helpers.ACTORS."""
    if request.param == "anonymous":
        return AnonymousUser()
    return request.getfixturevalue(ACTOR_FIXTURES[request.param])
