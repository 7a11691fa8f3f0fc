import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.centres.factories import CentreAdminFactory, CentreFactory


@pytest.fixture
def centre(db):
    return CentreFactory(name="永顺爱心托育中心")


@pytest.fixture
def other_centre(db):
    return CentreFactory(name="兴安托育园")


@pytest.fixture
def centre_admin(centre_admin_user, centre):
    """The centre admin account of `centre`."""
    CentreAdminFactory(user=centre_admin_user, centre=centre)
    return centre_admin_user


@pytest.fixture
def count_queries():
    """Run `action` and return how many queries it made."""

    def count(action) -> int:
        with CaptureQueriesContext(connection) as captured:
            action()
        return len(captured)

    return count


@pytest.fixture
def acting(
    api_client,
    centre,
    other_centre,
    centre_admin,
    union_staff,
    parent_user,
    employer_admin_user,
    reviewer_user,
):
    """acting("parent") -> an API client signed in as that kind of user."""
    users = {
        "anonymous": None,
        "parent": parent_user,
        "employer_admin": employer_admin_user,
        "reviewer": reviewer_user,
        "own_centre_admin": centre_admin,
        "other_centre_admin": CentreAdminFactory(centre=other_centre).user,
        "union_staff": union_staff,
    }

    def act(who: str):
        api_client.force_authenticate(users[who])
        return api_client

    return act
