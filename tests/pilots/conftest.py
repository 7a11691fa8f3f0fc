import pytest

from tests.employers.factories import EmployerAdminFactory, EmployerFactory


@pytest.fixture(autouse=True)
def _private_storage(settings, tmp_path):
    # Evidence files go to a per-test directory instead of var/private.
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "private"), "base_url": None},
        },
    }


@pytest.fixture(autouse=True)
def _english(english):
    """Every pilots test reads messages in their English source text."""


@pytest.fixture
def employer(db):
    return EmployerFactory(name="河北鑫达钢铁集团有限公司")


@pytest.fixture
def unit_admin(employer):
    return EmployerAdminFactory(employer=employer).user


@pytest.fixture
def other_employer(db):
    return EmployerFactory(name="凯达工贸有限责任公司")


@pytest.fixture
def other_unit_admin(other_employer):
    return EmployerAdminFactory(employer=other_employer).user
