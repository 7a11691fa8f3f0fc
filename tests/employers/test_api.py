import pytest
from django.urls import reverse

from apps.core.models import AuditRecord
from apps.employers.models import Employer
from tests.employers.factories import EmployerFactory
from tests.members.helpers import ACTORS, login

pytestmark = pytest.mark.django_db

EMPLOYEE_FIELDS = {
    "id",
    "member",
    "full_name",
    "id_number_masked",
    "mobile_masked",
    "membership",
    "membership_label",
    "status",
    "status_label",
    "verified_by",
    "department",
    "start_date",
    "end_date",
}
ACTIONS = ["approve", "refuse", "suspend", "reinstate"]


def detail(employer) -> str:
    return reverse("api-employer-detail", args=[employer.pk])


def employees(employer) -> str:
    return reverse("api-employer-employees", args=[employer.pk])


def action_url(employer, action: str) -> str:
    return reverse(f"api-employer-{action}", args=[employer.pk])


def test_employer_urls_are_named(employer):
    assert reverse("api-employers-list") == "/api/v1/employers/"
    assert detail(employer) == f"/api/v1/employers/{employer.pk}/"
    assert employees(employer) == f"/api/v1/employers/{employer.pk}/employees/"
    assert action_url(employer, "approve") == f"/api/v1/employers/{employer.pk}/approve/"


EMPLOYERS_LISTED = {
    "parent": {"employer"},
    "other_parent": {"other_employer"},
    "employer_admin": {"employer"},
    "other_employer_admin": {"other_employer"},
    "centre_admin": set(),
    "reviewer": set(),
    "union_staff": {"employer", "other_employer"},
}


@pytest.mark.parametrize("actor", list(EMPLOYERS_LISTED), indirect=True)
def test_employer_list_is_scoped_per_role(request, api_client, actor, registry):
    expected = {request.getfixturevalue(n).pk for n in EMPLOYERS_LISTED[request.node.callspec.id]}

    response = login(api_client, actor).get(reverse("api-employers-list"))

    assert response.status_code == 200
    assert {e["id"] for e in response.json()["results"]} == expected


def test_employer_list_needs_sign_in(api_client):
    assert api_client.get(reverse("api-employers-list")).status_code == 401


@pytest.mark.parametrize(
    ("actor", "status"),
    [
        ("anonymous", 401),
        ("parent", 200),
        ("other_parent", 404),
        ("employer_admin", 200),
        ("other_employer_admin", 404),
        ("centre_admin", 404),
        ("reviewer", 404),
        ("union_staff", 200),
    ],
    indirect=["actor"],
)
def test_employer_detail_is_found_only_in_scope(api_client, actor, status, registry, employer):
    response = login(api_client, actor).get(detail(employer))

    assert response.status_code == status


def test_employer_detail_shows_the_registration(api_client, employer_admin_user, employer):
    response = login(api_client, employer_admin_user).get(detail(employer))

    body = response.json()
    assert (body["name"], body["credit_code"], body["status"]) == (
        "迁安钢铁有限公司",
        employer.credit_code,
        "approved",
    )


@pytest.mark.parametrize(
    ("actor", "status"),
    [
        ("anonymous", 401),
        ("parent", 403),
        ("other_parent", 403),
        ("employer_admin", 200),
        ("other_employer_admin", 404),
        ("centre_admin", 403),
        ("reviewer", 403),
        ("union_staff", 200),
    ],
    indirect=["actor"],
)
def test_employee_list_is_for_the_employers_admin_and_union_staff(
    api_client, actor, status, registry, employer
):
    response = login(api_client, actor).get(employees(employer))

    assert response.status_code == status


def test_employee_list_shows_masked_numbers_and_no_child_data(
    api_client, employer_admin_user, registry, child
):
    employment, _other = registry
    member = employment.member

    response = login(api_client, employer_admin_user).get(employees(employment.employer))

    [row] = response.json()["results"]
    assert set(row) == EMPLOYEE_FIELDS
    assert (row["id"], row["member"], row["full_name"], row["department"]) == (
        employment.pk,
        member.pk,
        member.full_name,
        "炼钢车间",
    )
    assert row["id_number_masked"] == member.id_number[:4] + "*" * 10 + member.id_number[-4:]
    assert row["mobile_masked"] == member.mobile[:3] + "****" + member.mobile[-4:]
    page = response.content.decode()
    for secret in (member.id_number, member.mobile, child.full_name):
        assert secret not in page


def test_employee_list_of_a_suspended_employer_is_not_found_for_its_admin(
    api_client, employer_admin_user, union_staff, employment
):
    employer = employment.employer
    login(api_client, union_staff).post(
        action_url(employer, "suspend"), {"reason": "停业整顿"}, format="json"
    )
    api_client.force_authenticate(employer_admin_user)

    response = api_client.get(employees(employer))

    assert response.status_code == 404


def test_approve_moves_a_pending_employer_to_approved(api_client, union_staff):
    employer = EmployerFactory(status="pending")

    response = login(api_client, union_staff).post(action_url(employer, "approve"))

    assert response.status_code == 200
    assert response.json()["status"] == "approved"
    employer.refresh_from_db()
    assert employer.status == "approved"


@pytest.mark.parametrize(("action", "start"), [("refuse", "pending"), ("suspend", "approved")])
def test_refuse_and_suspend_require_a_reason(api_client, union_staff, action, start):
    employer = EmployerFactory(status=start)

    response = login(api_client, union_staff).post(action_url(employer, action), {}, format="json")

    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["reason"]
    employer.refresh_from_db()
    assert employer.status == start


@pytest.mark.parametrize(
    ("action", "start", "end"),
    [("refuse", "pending", "refused"), ("suspend", "approved", "suspended")],
)
def test_refuse_and_suspend_with_a_reason_change_the_status(
    api_client, union_staff, action, start, end
):
    employer = EmployerFactory(status=start)

    response = login(api_client, union_staff).post(
        action_url(employer, action), {"reason": "材料不全"}, format="json"
    )

    assert response.status_code == 200
    employer.refresh_from_db()
    assert employer.status == end
    assert AuditRecord.objects.get(action=f"employer.{action}").reason == "材料不全"


def test_reinstate_moves_a_suspended_employer_back_to_approved(api_client, union_staff):
    employer = EmployerFactory(status="suspended")

    response = login(api_client, union_staff).post(action_url(employer, "reinstate"))

    assert response.status_code == 200
    assert Employer.objects.get(pk=employer.pk).status == "approved"


def test_an_action_outside_the_state_table_is_a_conflict(api_client, union_staff):
    employer = EmployerFactory(status="approved")

    response = login(api_client, union_staff).post(action_url(employer, "approve"))

    assert response.status_code == 409
    body = response.json()
    assert (body["code"], list(body["fields"])) == ("invalid_transition", ["status"])


def test_an_action_on_an_unknown_employer_is_not_found(api_client, union_staff):
    response = login(api_client, union_staff).post(reverse("api-employer-approve", args=[999999]))

    assert response.status_code == 404


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("actor", [a for a in ACTORS if a != "union_staff"], indirect=True)
def test_actions_are_for_union_staff_only(request, api_client, actor, action, employer):
    employer.status = "pending" if action in {"approve", "refuse"} else employer.status
    employer.save()
    before = employer.status

    response = login(api_client, actor).post(
        action_url(employer, action), {"reason": "x"}, format="json"
    )

    expected = 401 if request.node.callspec.params["actor"] == "anonymous" else 403
    assert response.status_code == expected
    employer.refresh_from_db()
    assert employer.status == before
