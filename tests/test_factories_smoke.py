import pytest

from apps.core.pii import sensitive_lookup
from apps.core.validators import normalize_id_number, validate_id_number
from apps.members.models import Member
from tests.centres.factories import CentreAdminFactory, CentreClassFactory
from tests.employers.factories import EmployerAdminFactory, EmploymentFactory
from tests.members.factories import ChildFactory

pytestmark = pytest.mark.django_db


def test_factories_build_a_consistent_registry():
    employment = EmploymentFactory()
    child = ChildFactory(guardian=employment.member)
    centre_class = CentreClassFactory()
    CentreAdminFactory(centre=centre_class.centre)
    EmployerAdminFactory(employer=employment.employer)

    member = employment.member
    validate_id_number(member.id_number)
    lookup = sensitive_lookup("id_number", member.id_number, normalize=normalize_id_number)
    assert Member.objects.get(**lookup) == member
    assert list(child.guardians.all()) == [member]
