"""Property-based fuzzing of the whole API from its own OpenAPI schema (schemathesis).

Each operation is called with generated inputs by a signed-in parent, employer admin, centre
admin and union staff member: no answer may be a 5xx, and every answer must match the schema.
"""

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase
from hypothesis import settings as hypothesis_settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance, status_code_conformance

from qianan_tuoyu.wsgi import application
from tests.accounts.factories import UserFactory
from tests.centres.factories import CentreAdminFactory
from tests.employers.factories import EmployerAdminFactory, EmploymentFactory
from tests.members.factories import ChildFactory

schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", application)

ROLES = ("parent", "employer_admin", "centre_admin", "union_staff")


def _user(role: str):
    if role == "parent":
        employment = EmploymentFactory()
        ChildFactory(guardian=employment.member)
        return employment.member.user
    if role == "employer_admin":
        return EmployerAdminFactory().user
    if role == "centre_admin":
        return CentreAdminFactory().user
    return UserFactory(role="union_staff")


@pytest.mark.fuzz
@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@schema.parametrize()
@hypothesis_settings(
    max_examples=4,
    deadline=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
def test_api_answers_within_its_schema_and_never_with_a_server_error(case, role):
    token = Token.objects.get_or_create(user=_user(role))[0].key

    case.call_and_validate(
        headers={"Authorization": f"Token {token}"},
        checks=[not_a_server_error, status_code_conformance, response_schema_conformance],
    )
