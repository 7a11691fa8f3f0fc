"""Centre sign-up: the page and the API, then approval or refusal seen from the centre portal."""

from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from apps.centres.models import Centre, CentreAdmin, RegistrationStatus
from apps.centres.services import centre_approve, centre_refuse
from apps.core.models import Area, Notice
from apps.core.validators import make_credit_code
from tests.centres.factories import CentreFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
User = get_user_model()
PASSWORD = "Qa-centre-2026!"
CREDIT_CODE = make_credit_code("52130283MJ0LXTY01")


def centre_form(**changes) -> dict:
    return {
        "name": "蓝祥托育中心",
        "credit_code": CREDIT_CODE,
        "operator": "迁安市蓝祥托育服务有限公司",
        "filing_status": "filed",
        "filing_number": "冀托备130283-0012",
        "area": Area.objects.order_by("sort_order").first().pk,
        "address": "迁安市万嘉国际家居建材城东侧",
        "latitude": "39.990100",
        "longitude": "118.725500",
        "contact_phone": "0315-7655000",
        "admin_full_name": "刘芳",
        "username": "lanxiang",
        "password1": PASSWORD,
        "password2": PASSWORD,
        **changes,
    }


def test_centre_signup_creates_a_pending_centre_with_its_admin_signed_in(client, union_staff):
    response = client.post(reverse("centre_portal:signup"), centre_form())

    assert response.status_code == 302
    assert response["Location"] == "/centre/"
    centre = Centre.objects.get(credit_code=CREDIT_CODE)
    assert (centre.status, centre.latitude, centre.filing_number) == (
        RegistrationStatus.PENDING,
        Decimal("39.990100"),
        "冀托备130283-0012",
    )
    link = CentreAdmin.objects.select_related("user").get(centre=centre)
    assert (link.user.username, link.user.role) == ("lanxiang", "centre_admin")
    home = client.get("/centre/")
    assert home.context["centre"] == centre
    assert "Union staff are reviewing your sign-up" in home.text
    assert Notice.objects.get(recipient=union_staff).link == (
        f"/admin/centres/centre/{centre.pk}/change/"
    )


def test_centre_signup_refuses_coordinates_outside_china_on_their_field(client):
    response = client.post(reverse("centre_portal:signup"), centre_form(latitude="60"))

    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["latitude"]
    assert not Centre.objects.exists()
    assert not User.objects.filter(username="lanxiang").exists()


def test_centre_signup_refuses_a_registered_credit_code(client):
    CentreFactory(credit_code=CREDIT_CODE)

    response = client.post(reverse("centre_portal:signup"), centre_form())

    assert response.context["form"].errors == {
        "credit_code": ["This credit code is already registered."]
    }
    assert Centre.objects.count() == 1


def test_centre_signup_puts_a_service_refusal_on_its_field(client):
    response = client.post(
        reverse("centre_portal:signup"), centre_form(filing_number="", filing_status="filed")
    )

    assert response.context["form"].errors == {
        "filing_number": ["A centre filed with the health commission needs its filing number."]
    }
    assert not User.objects.filter(username="lanxiang").exists()


def test_centre_signup_is_rate_limited_per_address(client, monkeypatch):
    monkeypatch.setattr("apps.core.ratelimit.time", SimpleNamespace(time=lambda: 1.8e9))

    statuses = [client.post(reverse("centre_portal:signup"), {}).status_code for _ in range(11)]

    assert statuses == [400] * 10 + [429]


def test_centre_signup_api_creates_a_pending_centre(api_client):
    data = {**centre_form(), "password": PASSWORD}

    response = api_client.post(reverse("api-signup-centre"), data, format="json")

    assert response.status_code == 201
    assert response.json()["status"] == "pending"
    assert CentreAdmin.objects.get(centre_id=response.json()["id"]).user.username == "lanxiang"


def test_centre_signup_api_names_the_field_at_fault(api_client):
    data = {**centre_form(credit_code="123"), "password": PASSWORD}

    response = api_client.post(reverse("api-signup-centre"), data, format="json")

    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["credit_code"]
    assert not User.objects.filter(username="lanxiang").exists()


def test_an_approved_centre_admin_is_told(client, union_staff):
    client.post(reverse("centre_portal:signup"), centre_form())
    centre = Centre.objects.get()
    admin = centre.admins.get().user
    admin.language = "en"  # notices come in the recipient's language
    admin.save()

    centre_approve(centre=centre, actor=union_staff)

    assert Notice.objects.filter(recipient=admin, title__contains="approved").count() == 1
    assert client.get("/centre/").context["centre"].status == "approved"


def test_a_refused_centre_sees_the_reason_by_notice_and_on_its_home_page(client, union_staff):
    client.post(reverse("centre_portal:signup"), centre_form())
    centre = Centre.objects.get()
    admin = centre.admins.get().user
    admin.language = "en"
    admin.save()

    centre_refuse(centre=centre, actor=union_staff, reason="场地消防验收未通过")

    assert Notice.objects.get(recipient=admin, title__contains="refused").body == (
        "Reason: 场地消防验收未通过"
    )
    assert "场地消防验收未通过" in client.get("/centre/").text


def test_the_centre_portal_greets_a_visitor_and_refuses_other_roles(client, parent_user):
    assert reverse("centre_portal:signup") in client.get("/centre/").text

    client.force_login(parent_user)

    assert client.get("/centre/").status_code == 403
