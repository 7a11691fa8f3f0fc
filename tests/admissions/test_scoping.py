"""Who sees what: a family only its own, an employer admin no child, a centre admin its centre."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from apps.admissions.models import Application, Enrolment
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


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def two_families():
    setting = place(capacity=3)
    ours = application(setting, State.OFFERED)
    theirs = application(setting, State.OFFERED)
    return setting, ours, theirs


def test_a_parent_lists_only_their_familys_applications(two_families):
    _setting, ours, _theirs = two_families

    response = client_for(ours.applicant.user).get(reverse("api-application-list"))

    assert [row["id"] for row in response.json()["results"]] == [ours.pk]


def test_the_other_guardian_of_the_child_sees_the_application_too(two_families):
    _setting, ours, _theirs = two_families
    from apps.members.models import Guardianship
    from tests.members.factories import MemberFactory

    partner = MemberFactory()
    Guardianship.objects.create(child=ours.child, guardian=partner, relation="father")

    response = client_for(partner.user).get(reverse("api-application-list"))

    assert [row["id"] for row in response.json()["results"]] == [ours.pk]


@pytest.mark.parametrize(
    "url_name", ["api-application-detail", "api-application-accept", "api-application-decline"]
)
def test_a_parent_cannot_see_or_act_on_another_familys_application(two_families, url_name):
    _setting, ours, theirs = two_families
    client = client_for(ours.applicant.user)
    url = reverse(url_name, kwargs={"pk": theirs.pk})

    response = client.get(url) if url_name.endswith("detail") else client.post(url)

    assert response.status_code == 404
    assert Application.objects.get(pk=theirs.pk).state == State.OFFERED


def test_a_parent_cannot_end_another_familys_enrolment():
    setting = place()
    ours, theirs = application(setting, State.ENROLLED), application(setting, State.ENROLLED)
    enrolment = Enrolment.objects.get(application=theirs)

    response = client_for(ours.applicant.user).post(
        reverse("api-enrolment-end", kwargs={"pk": enrolment.pk}), {"end_date": "2030-01-31"}
    )

    assert response.status_code == 404
    assert Enrolment.objects.get(pk=enrolment.pk).status == Enrolment.Status.ACTIVE


def test_an_employer_admin_sees_no_childs_name_or_birth_date():
    setting = place()
    row = application(
        setting,
        State.SUBMITTED,
        kin=family(setting.employer, verified_by=Employment.VerifiedBy.EMPLOYER),
    )
    client = client_for(employer_admin(setting.employer))

    listed = client.get(reverse("api-application-list")).json()["results"][0]
    detail = client.get(reverse("api-application-detail", kwargs={"pk": row.pk})).json()

    for shown in (listed, detail):
        assert set(shown) == {
            "id",
            "state",
            "state_label",
            "applicant_name",
            "employer",
            "employer_name",
            "programme",
            "programme_name",
            "age_class",
            "age_class_label",
            "start_month",
            "submitted_at",
            "employment_left_flag",
        }
        assert row.child.full_name not in str(shown)
        assert row.child.birth_date.isoformat() not in str(shown)


def test_an_employer_admin_sees_only_their_employers_applications():
    setting, other = place(), place()
    ours = application(setting, State.SUBMITTED)
    theirs = application(other, State.SUBMITTED)
    client = client_for(employer_admin(setting.employer))

    listed = client.get(reverse("api-application-list")).json()["results"]
    confirm = client.post(reverse("api-application-confirm-employment", kwargs={"pk": theirs.pk}))

    assert [row["id"] for row in listed] == [ours.pk]
    assert confirm.status_code == 404


def test_an_employer_admin_has_no_enrolment_list():
    setting = place()

    response = client_for(employer_admin(setting.employer)).get(reverse("api-enrolment-list"))

    assert response.status_code == 403


def test_a_centre_admin_sees_only_their_centres_applications_and_enrolments():
    setting, other = place(), place()
    ours = application(setting, State.ENROLLED)
    application(other, State.ENROLLED)
    client = client_for(centre_admin(setting.centre))

    applications = client.get(reverse("api-application-list")).json()["results"]
    enrolments = client.get(reverse("api-enrolment-list")).json()["results"]

    assert [row["id"] for row in applications] == [ours.pk]
    assert [row["application"] for row in enrolments] == [ours.pk]


def test_a_centre_admin_cannot_offer_at_another_centre():
    setting, other = place(), place()
    theirs = application(other, State.WAITING)

    response = client_for(centre_admin(setting.centre)).post(
        reverse("api-application-offer", kwargs={"pk": theirs.pk})
    )

    assert response.status_code == 404
    assert Application.objects.get(pk=theirs.pk).state == State.WAITING


def test_a_centre_admins_waiting_list_holds_only_their_centre():
    setting, other = place(capacity=1), place(capacity=1)
    for where in (setting, other):
        application(where, State.OFFERED)
    ours = application(setting, State.WAITING)
    application(other, State.WAITING)

    response = client_for(centre_admin(setting.centre)).get(reverse("api-application-waiting-list"))

    assert [row["id"] for row in response.json()["results"]] == [ours.pk]


def test_union_staff_may_read_every_application_but_make_no_move(union_staff):
    setting = place()
    row = application(setting, State.OFFERED)
    client = client_for(union_staff)

    listed = client.get(reverse("api-application-list")).json()["count"]
    accept = client.post(reverse("api-application-accept", kwargs={"pk": row.pk}))

    assert (listed, accept.status_code) == (1, 403)
