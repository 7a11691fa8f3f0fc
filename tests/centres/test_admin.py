from decimal import Decimal

import pytest

from apps.centres import services
from apps.centres.models import Caregiver, Centre, CentreAdmin, CentreClass
from apps.core.errors import DomainError
from apps.core.models import Area, AuditRecord, Notice
from tests.accounts.factories import UserFactory
from tests.centres.factories import (
    CaregiverFactory,
    CentreAdminFactory,
    CentreClassFactory,
    CentreFactory,
    credit_code,
)

pytestmark = pytest.mark.django_db

MAKERS = {
    "centre": lambda: CentreFactory(),
    "centreclass": lambda: CentreClassFactory(staffed=1),
    "caregiver": lambda: CaregiverFactory(),
    "centreadmin": lambda: CentreAdminFactory(),
}


@pytest.fixture
def staff_client(client, union_staff):
    client.force_login(union_staff)
    return client


def admin_url(model: str, suffix: str = "") -> str:
    return f"/admin/centres/{model}/{suffix}"


# Every page answers


@pytest.mark.parametrize("model", MAKERS)
def test_changelist_answers(staff_client, model):
    MAKERS[model]()

    assert staff_client.get(admin_url(model)).status_code == 200


@pytest.mark.parametrize("model", MAKERS)
def test_changelist_search_answers(staff_client, model):
    MAKERS[model]()

    assert staff_client.get(admin_url(model), {"q": "托育"}).status_code == 200


@pytest.mark.parametrize("model", MAKERS)
def test_add_page_answers(staff_client, model):
    assert staff_client.get(admin_url(model, "add/")).status_code == 200


@pytest.mark.parametrize("model", MAKERS)
def test_change_page_answers(staff_client, model):
    obj = MAKERS[model]()

    assert staff_client.get(admin_url(model, f"{obj.pk}/change/")).status_code == 200


@pytest.mark.parametrize("model", ["centre", "centreclass"])
def test_history_page_answers(staff_client, model):
    obj = MAKERS[model]()

    assert staff_client.get(admin_url(model, f"{obj.pk}/history/")).status_code == 200


def test_centre_search_finds_by_credit_code(staff_client):
    wanted = CentreFactory(name="甲园")
    CentreFactory(name="乙园")

    response = staff_client.get(admin_url("centre"), {"q": wanted.credit_code})

    assert [c.pk for c in response.context["cl"].result_list] == [wanted.pk]


def test_other_roles_cannot_open_the_centre_admin(client):
    client.force_login(UserFactory(role="centre_admin"))

    assert client.get(admin_url("centre")).status_code == 302


# Changelists make the same number of queries for 1 row and for 30


@pytest.mark.parametrize(
    ("model", "expected"),
    [
        ("centre", 8),
        ("centreclass", 7),
        ("caregiver", 7),
        ("centreadmin", 7),
    ],
)
def test_changelist_queries_do_not_grow_with_rows(staff_client, count_queries, model, expected):
    MAKERS[model]()
    with_one = count_queries(lambda: staff_client.get(admin_url(model)))
    for _ in range(29):
        MAKERS[model]()

    with_thirty = count_queries(lambda: staff_client.get(admin_url(model)))

    assert (with_one, with_thirty) == (expected, expected)


# Writes go through the services


def centre_form(**overrides) -> dict:
    data = {
        "name": "滨河托育园",
        "credit_code": credit_code(777),
        "operator": "迁安市滨河托育服务有限公司",
        "address": "迁安市滨河街道1号",
        "area": Area.objects.get(code="JD03").pk,
        "latitude": "40.011800",
        "longitude": "118.701200",
        "contact_phone": "",
        "filing_status": "not_filed",
        "filing_number": "",
        "federation": "",
        "federation_staff_count": "0",
        "classes-TOTAL_FORMS": "0",
        "classes-INITIAL_FORMS": "0",
        "admins-TOTAL_FORMS": "0",
        "admins-INITIAL_FORMS": "0",
    }
    return {**data, **overrides}


def change_form(centre, **overrides) -> dict:
    current = {
        "name": centre.name,
        "credit_code": centre.credit_code,
        "operator": centre.operator,
        "address": centre.address,
        "area": centre.area_id,
    }
    return centre_form(**{**current, **overrides})


def test_centre_added_in_the_admin_is_pending_and_audited(staff_client, union_staff):
    response = staff_client.post(admin_url("centre", "add/"), centre_form())

    assert response.status_code == 302
    centre = Centre.objects.get()
    assert (centre.status, centre.name) == ("pending", "滨河托育园")
    assert AuditRecord.objects.get().action == "centre.create"
    assert AuditRecord.objects.get().actor == union_staff


def test_centre_outside_china_is_refused_with_a_form_error(staff_client):
    response = staff_client.post(admin_url("centre", "add/"), centre_form(latitude="80"))

    assert response.status_code == 200
    assert "该位置不在中国境内" in str(response.context["adminform"].form.errors)
    assert Centre.objects.count() == 0


def test_class_added_inline_is_created_by_the_service(staff_client, centre):
    data = change_form(
        centre,
        **{
            "classes-TOTAL_FORMS": "1",
            "classes-0-name": "乳儿班",
            "classes-0-age_class": "infant",
            "classes-0-capacity": "10",
            "classes-0-monthly_price": "2200",
            "classes-0-is_active": "on",
        },
    )

    response = staff_client.post(admin_url("centre", f"{centre.pk}/change/"), data)

    assert response.status_code == 302
    assert CentreClass.objects.get().capacity == 10
    assert AuditRecord.objects.get().action == "centre_class.create"


def test_inline_class_above_the_national_maximum_is_a_form_error(staff_client, centre):
    data = change_form(
        centre,
        **{
            "classes-TOTAL_FORMS": "1",
            "classes-0-name": "乳儿班",
            "classes-0-age_class": "infant",
            "classes-0-capacity": "11",
            "classes-0-monthly_price": "2200",
        },
    )

    response = staff_client.post(admin_url("centre", f"{centre.pk}/change/"), data)

    assert response.status_code == 200
    assert CentreClass.objects.count() == 0


def test_centre_admin_added_inline_is_linked_by_the_service(staff_client, centre):
    account = UserFactory(role="centre_admin")
    data = change_form(
        centre,
        **{"admins-TOTAL_FORMS": "1", "admins-0-user": str(account.pk)},
    )

    response = staff_client.post(admin_url("centre", f"{centre.pk}/change/"), data)

    assert response.status_code == 302
    assert CentreAdmin.objects.get().user == account
    assert Notice.objects.get().recipient == account


def test_approve_action_approves_pending_centres(staff_client):
    centre = CentreFactory(status="pending")

    staff_client.post(
        admin_url("centre"), {"action": "approve_selected", "_selected_action": [centre.pk]}
    )

    assert Centre.objects.get(pk=centre.pk).status == "approved"


def test_approve_action_reports_centres_it_cannot_move(staff_client):
    centre = CentreFactory(status="refused")

    response = staff_client.post(
        admin_url("centre"),
        {"action": "approve_selected", "_selected_action": [centre.pk]},
        follow=True,
    )

    assert Centre.objects.get(pk=centre.pk).status == "refused"
    assert [m.level_tag for m in response.context["messages"]] == ["error"]


def test_refuse_action_asks_for_a_reason_first(staff_client):
    centre = CentreFactory(status="pending")

    response = staff_client.post(
        admin_url("centre"), {"action": "refuse_selected", "_selected_action": [centre.pk]}
    )

    assert response.status_code == 200
    assert 'name="reason"' in response.content.decode()
    assert Centre.objects.get(pk=centre.pk).status == "pending"


def test_refuse_action_with_a_reason_refuses_and_records_it(staff_client):
    centre = CentreFactory(status="pending")

    response = staff_client.post(
        admin_url("centre"),
        {
            "action": "refuse_selected",
            "_selected_action": [centre.pk],
            "post": "yes",
            "reason": "证照不全",
        },
    )

    assert response.status_code == 302
    assert Centre.objects.get(pk=centre.pk).status == "refused"
    assert AuditRecord.objects.get().reason == "证照不全"


def test_suspend_action_without_a_reason_shows_the_page_again(staff_client):
    centre = CentreFactory(status="approved")

    response = staff_client.post(
        admin_url("centre"),
        {"action": "suspend_selected", "_selected_action": [centre.pk], "post": "yes"},
    )

    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["reason"]
    assert Centre.objects.get(pk=centre.pk).status == "approved"


def test_out_of_ratio_filter_lists_only_understaffed_classes(staff_client):
    short = CentreClassFactory(capacity=15, staffed=2)
    CentreClassFactory(capacity=15, staffed=3)

    response = staff_client.get(admin_url("centreclass"), {"ratio": "out"})

    assert [c.pk for c in response.context["cl"].result_list] == [short.pk]


def test_caregivers_assigned_in_the_admin_go_through_the_service(staff_client):
    centre_class = CentreClassFactory(capacity=15, monthly_price=Decimal("1800.00"))
    caregivers = CaregiverFactory.create_batch(2, centre=centre_class.centre)

    response = staff_client.post(
        admin_url("centreclass", f"{centre_class.pk}/change/"),
        {
            "name": centre_class.name,
            "age_class": "toddler",
            "capacity": "15",
            "monthly_price": "1800.00",
            "is_active": "on",
            "caregivers": [c.pk for c in caregivers],
        },
    )

    assert response.status_code == 302
    assert set(centre_class.caregivers.all()) == set(caregivers)
    assert AuditRecord.objects.get().action == "centre_class.assign_caregivers"


def test_deactivate_action_marks_caregivers_as_gone(staff_client):
    caregiver = CaregiverFactory()

    staff_client.post(
        admin_url("caregiver"),
        {"action": "deactivate_selected", "_selected_action": [caregiver.pk]},
    )

    assert Caregiver.objects.get().is_active is False
    assert AuditRecord.objects.get().action == "caregiver.deactivate"


def test_removing_a_centre_admin_in_the_admin_is_audited(staff_client):
    link = CentreAdminFactory()

    response = staff_client.post(admin_url("centreadmin", f"{link.pk}/delete/"), {"post": "yes"})

    assert response.status_code == 302
    assert CentreAdmin.objects.count() == 0
    assert AuditRecord.objects.get().action == "centre.admin_remove"


def test_centre_admin_link_added_in_its_own_admin_goes_through_the_service(staff_client, centre):
    account = UserFactory(role="centre_admin")

    response = staff_client.post(
        admin_url("centreadmin", "add/"), {"centre": centre.pk, "user": account.pk}
    )

    assert response.status_code == 302
    assert CentreAdmin.objects.get().user == account
    assert AuditRecord.objects.get().action == "centre.admin_add"


def test_service_refusal_on_save_is_shown_and_nothing_is_saved(staff_client, centre, monkeypatch):
    def refuse(**kwargs):
        raise DomainError.for_field("address", "Refused for the test.")

    monkeypatch.setattr(services, "centre_update", refuse)

    response = staff_client.post(
        admin_url("centre", f"{centre.pk}/change/"),
        change_form(centre, address="新地址"),
        follow=True,
    )

    assert [str(m) for m in response.context["messages"]] == ["Refused for the test."]
    assert Centre.objects.get(pk=centre.pk).address == centre.address
