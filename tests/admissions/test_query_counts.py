"""List endpoints, pages and admin changelists cost the same number of queries for 1 row as
for 30."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from apps.admissions.models import Application
from apps.centres.models import AgeClass
from apps.employers.models import Employment
from tests.admissions.factories import (
    application,
    centre_admin,
    employer_admin,
    family,
    place,
)

pytestmark = pytest.mark.django_db
State = Application.State


def queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def api_client(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def rows(count: int, state: str, *, one_family: bool = False, **family_kwargs):
    # Kindergarten large: the one class holds all 30 offers.
    setting = place(age_class=AgeClass.KG_LARGE, capacity=35)
    kin = family(setting.employer, **family_kwargs)
    for index in range(count):
        sibling = (
            kin if index == 0 or not one_family else family(setting.employer, member=kin.member)
        )
        application(setting, state, kin=sibling if one_family else None)
    return setting, kin


# (url name, state of the rows, whose view, expected queries)
API_LISTS = [
    ("api-application-list", State.OFFERED, "parent", 2),
    ("api-application-list", State.OFFERED, "centre", 2),
    ("api-application-list", State.SUBMITTED, "employer", 2),
    ("api-application-waiting-list", State.WAITING, "centre", 2),
    ("api-enrolment-list", State.ENROLLED, "parent", 2),
    ("api-enrolment-list", State.ENROLLED, "centre", 2),
]


def viewer(setting, kin, who):
    if who == "parent":
        return kin.user
    if who == "centre":
        return centre_admin(setting.centre)
    return employer_admin(setting.employer)


@pytest.mark.parametrize(("url_name", "state", "who", "expected"), API_LISTS)
@pytest.mark.parametrize("count", [1, 30])
def test_api_list_queries_do_not_grow_with_rows(url_name, state, who, expected, count):
    extra = {"verified_by": Employment.VerifiedBy.EMPLOYER} if who == "employer" else {}
    setting, kin = rows(count, state, one_family=(who == "parent"), **extra)

    spent = queries(api_client(viewer(setting, kin, who)), reverse(url_name) + "?page_size=50")

    assert spent == expected


# (page url name, state of the rows, whose view)
PAGES = [
    ("admissions:parent-applications", State.OFFERED, "parent"),
    ("admissions:centre-applications", State.OFFERED, "centre"),
    ("admissions:centre-waiting-list", State.WAITING, "centre"),
    ("admissions:centre-enrolments", State.ENROLLED, "centre"),
    ("admissions:employer-confirmations", State.SUBMITTED, "employer"),
]


def page_queries(client, url_name, state, who, count) -> int:
    extra = {"verified_by": Employment.VerifiedBy.EMPLOYER} if who == "employer" else {}
    setting, kin = rows(count, state, one_family=(who == "parent"), **extra)
    client.force_login(viewer(setting, kin, who))
    return queries(client, reverse(url_name))


@pytest.mark.parametrize(("url_name", "state", "who"), PAGES)
def test_page_queries_do_not_grow_with_rows(client, url_name, state, who):
    spent = [page_queries(client, url_name, state, who, count) for count in (1, 30)]

    assert spent[0] == spent[1]


@pytest.mark.parametrize("model", ["application", "enrolment"])
def test_admin_changelist_queries_do_not_grow_with_rows(client, union_staff, model):
    client.force_login(union_staff)
    url = reverse(f"admin:admissions_{model}_changelist")
    spent = []
    for count in (1, 29):
        rows(count, State.ENROLLED)
        spent.append(queries(client, url))

    assert spent[0] == spent[1]


@pytest.mark.parametrize(("url_name", "state", "who"), PAGES)
def test_each_roles_list_page_costs_at_most_ten_queries(
    client, django_assert_max_num_queries, url_name, state, who
):
    extra = {"verified_by": Employment.VerifiedBy.EMPLOYER} if who == "employer" else {}
    setting, kin = rows(30, state, one_family=(who == "parent"), **extra)
    client.force_login(viewer(setting, kin, who))

    with django_assert_max_num_queries(10):
        response = client.get(reverse(url_name))

    assert response.status_code == 200
