from datetime import date

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from apps.accounts.models import Role
from apps.members.models import Member
from tests.accounts.factories import UserFactory
from tests.employers.factories import EmployerAdminFactory, EmployerFactory
from tests.members.factories import ChildFactory, MemberFactory


def years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


@pytest.fixture
def employer(db):
    return EmployerFactory()


@pytest.fixture
def other_employer(db):
    return EmployerFactory()


@pytest.fixture
def employer_admin(employer):
    return EmployerAdminFactory(employer=employer).user


@pytest.fixture
def other_employer_admin(other_employer):
    return EmployerAdminFactory(employer=other_employer).user


@pytest.fixture
def parent_member(db):
    return MemberFactory(membership=Member.Membership.VERIFIED)


@pytest.fixture
def parent(parent_member):
    return parent_member.user


@pytest.fixture
def other_parent(db):
    return MemberFactory(membership=Member.Membership.VERIFIED).user


@pytest.fixture
def school_child(parent_member):
    """Eight years old today."""
    return ChildFactory(guardian=parent_member, birth_date=years_before(timezone.localdate(), 8))


@pytest.fixture
def centre_admin(db):
    return UserFactory(role=Role.CENTRE_ADMIN)


@pytest.fixture
def storage(settings, tmp_path):
    """Uploads go to a temporary directory, like the private storage in production."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path), "base_url": None},
        },
    }
    return tmp_path


ACTORS = {
    "anonymous": None,
    "parent": "parent",
    "other_parent": "other_parent",
    "employer_admin": "employer_admin",
    "other_employer_admin": "other_employer_admin",
    "centre_admin": "centre_admin",
    "union_staff": "union_staff",
}


@pytest.fixture
def actor(request):
    """Parametrise indirectly with a key of ACTORS."""
    name = ACTORS[request.param]
    return AnonymousUser() if name is None else request.getfixturevalue(name)


def client_for(api_client, user):
    if user is not None and user.is_authenticated:
        api_client.force_authenticate(user)
    return api_client
