"""Portal pages: the parent's apply flow (price first, one application per page however often
it is sent), the family's list and answers, the employer's confirmations, the centre's lists."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.admissions.models import Application, Enrolment
from apps.employers.models import Employment
from apps.employers.pricing import format_month
from tests.admissions.factories import (
    application,
    as_seen,
    centre_admin,
    employer_admin,
    family,
    place,
    start_month,
)

pytestmark = pytest.mark.django_db
State = Application.State


def signed_in(client, user):
    client.force_login(user)
    return client


def form_data(setting, kin, **extra) -> dict:
    return {
        "child": kin.child.pk,
        "programme": setting.programme.pk,
        "centre": setting.centre.pk,
        "age_class": setting.age_class,
        "start_month": format_month(start_month()),
    } | extra


def test_the_apply_page_shows_the_price_before_anything_is_submitted(client):
    setting = place()
    kin = family(setting.employer)

    response = signed_in(client, kin.user).post(
        reverse("admissions:parent-apply"), form_data(setting, kin, step="preview")
    )

    content = response.content.decode()
    assert response.status_code == 200
    assert "900.00" in content
    assert 'id="submit-application"' in content
    assert response.context["token"]
    assert Application.objects.count() == 0


def test_submitting_the_same_page_twice_creates_one_application(client):
    setting = place()
    kin = family(setting.employer)
    client = signed_in(client, kin.user)
    data = form_data(setting, kin, step="submit", token="one-page-token")

    first = client.post(reverse("admissions:parent-apply"), data)
    second = client.post(reverse("admissions:parent-apply"), data)

    created = Application.objects.get()
    detail = reverse("admissions:parent-application-detail", kwargs={"pk": created.pk})
    assert (first.status_code, first["Location"]) == (302, detail)
    assert (second.status_code, second["Location"]) == (302, detail)


def test_a_refused_application_shows_the_reason_on_the_form(client):
    setting = place()
    kin = family(setting.employer, months_old=30)

    response = signed_in(client, kin.user).post(
        reverse("admissions:parent-apply"), form_data(setting, kin, step="preview")
    )

    assert response.status_code == 200
    assert response.context["form"].errors["age_class"]
    assert Application.objects.count() == 0


def test_the_family_list_shows_offers_with_accept_and_decline_and_no_other_family(client):
    setting = place(capacity=2)
    ours, theirs = application(setting, State.OFFERED), application(setting, State.OFFERED)

    response = signed_in(client, ours.applicant.user).get(reverse("admissions:parent-applications"))

    content = response.content.decode()
    assert ours.child.full_name in content
    assert theirs.child.full_name not in content
    assert reverse("admissions:parent-application-answer", args=[ours.pk, "accept"]) in content


def test_accepting_on_the_page_enrols_the_child(client):
    setting = place()
    row = application(setting, State.OFFERED)

    response = signed_in(client, row.applicant.user).post(
        reverse("admissions:parent-application-answer", args=[row.pk, "accept"])
    )

    assert response.status_code == 302
    assert Application.objects.get(pk=row.pk).state == State.ENROLLED


def test_a_refused_answer_comes_back_as_a_message_not_an_error_page(client):
    setting = place()
    row = application(setting, State.OFFERED, expires_in=timedelta(minutes=-5))

    response = signed_in(client, row.applicant.user).post(
        reverse("admissions:parent-application-answer", args=[row.pk, "accept"]), follow=True
    )

    assert response.status_code == 200
    expired_at = timezone.localtime(row.offer_expires_at).strftime("%Y-%m-%d %H:%M")
    assert as_seen("This offer expired at %(deadline)s.", deadline=expired_at) in (
        response.content.decode()
    )


def test_another_familys_application_page_is_not_found(client):
    setting = place(capacity=2)
    ours, theirs = application(setting, State.OFFERED), application(setting, State.OFFERED)

    response = signed_in(client, ours.applicant.user).get(
        reverse("admissions:parent-application-detail", args=[theirs.pk])
    )

    assert response.status_code == 404


def test_the_parent_ends_an_enrolment_on_its_page(client):
    setting = place()
    row = application(setting, State.ENROLLED)

    signed_in(client, row.applicant.user).post(
        reverse("admissions:parent-enrolment-end", args=[row.pk]),
        {"end_date": start_month().isoformat()},
    )

    assert Enrolment.objects.get(application=row).status == Enrolment.Status.ENDED


def test_the_employer_confirmations_page_names_the_applicant_and_never_the_child(client):
    setting = place()
    kin = family(setting.employer, verified_by=Employment.VerifiedBy.EMPLOYER)
    row = application(setting, State.SUBMITTED, kin=kin)

    response = signed_in(client, employer_admin(setting.employer)).get(
        reverse("admissions:employer-confirmations")
    )

    content = response.content.decode()
    assert kin.member.full_name in content
    assert kin.child.full_name not in content
    assert kin.child.birth_date.isoformat() not in content
    assert reverse("admissions:employer-confirmation-act", args=[row.pk, "confirm"]) in content


def test_the_employer_confirms_on_the_page(client):
    setting = place()
    row = application(
        setting, State.SUBMITTED, kin=family(setting.employer, verified_by="employer")
    )

    signed_in(client, employer_admin(setting.employer)).post(
        reverse("admissions:employer-confirmation-act", args=[row.pk, "confirm"])
    )

    assert Application.objects.get(pk=row.pk).state == State.OFFERED


def test_the_centre_waiting_list_shows_the_whole_line_in_order(client):
    setting = place(capacity=1)
    application(setting, State.OFFERED)
    later = application(setting, State.WAITING, priority_rank=99)
    first = application(setting, State.WAITING, priority_rank=0)

    response = signed_in(client, centre_admin(setting.centre)).get(
        reverse("admissions:centre-waiting-list")
    )

    content = response.content.decode()
    assert content.index(first.child.full_name) < content.index(later.child.full_name)


def test_the_centre_rejects_with_a_reason_on_the_page(client):
    setting = place(capacity=1)
    row = application(setting, State.WAITING)

    signed_in(client, centre_admin(setting.centre)).post(
        reverse("admissions:centre-application-act", args=[row.pk, "reject"]), {"reason": "已入园"}
    )

    assert Application.objects.get(pk=row.pk).state == State.REJECTED


def test_the_centre_ends_an_enrolment_on_the_page(client):
    setting = place()
    row = application(setting, State.ENROLLED)
    enrolment = Enrolment.objects.get(application=row)

    signed_in(client, centre_admin(setting.centre)).post(
        reverse("admissions:centre-enrolment-end", args=[enrolment.pk]),
        {"end_date": start_month().isoformat()},
    )

    assert Enrolment.objects.get(pk=enrolment.pk).status == Enrolment.Status.ENDED


@pytest.mark.parametrize(
    "url_name",
    [
        "admissions:parent-applications",
        "admissions:parent-apply",
        "admissions:employer-confirmations",
        "admissions:centre-applications",
        "admissions:centre-waiting-list",
        "admissions:centre-enrolments",
    ],
)
def test_pages_send_visitors_to_sign_in(client, url_name):
    response = client.get(reverse(url_name))

    assert (response.status_code, response["Location"].split("?")[0]) == (302, "/accounts/login/")


@pytest.mark.parametrize(
    "url_name",
    ["admissions:employer-confirmations", "admissions:centre-waiting-list"],
)
def test_a_parent_is_refused_the_admin_pages(client, parent_user, url_name):
    assert signed_in(client, parent_user).get(reverse(url_name)).status_code == 403
