from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from apps.core.models import AuditRecord
from apps.members.models import Member
from apps.welfare import services
from apps.welfare.checklist import load_checklist
from apps.welfare.models import (
    CareClass,
    CollectiveContract,
    MotherRoom,
    MotherRoomInspection,
    StatutoryFloor,
)
from tests.employers.factories import EmployerFactory
from tests.members.factories import ChildFactory, MemberFactory, UnionFactory
from tests.welfare.factories import (
    CareClassFactory,
    CollectiveContractFactory,
    MotherRoomFactory,
    first_area,
)

pytestmark = pytest.mark.django_db

MODELS = [
    "motherroom",
    "motherroominspection",
    "careclass",
    "careclassenrolment",
    "collectivecontract",
    "employerwithoutcontract",
    "statutoryfloor",
]
ADDABLE = ["motherroom", "motherroominspection", "careclass", "collectivecontract"]
SESSIONS_INLINE = {"sessions-TOTAL_FORMS": "0", "sessions-INITIAL_FORMS": "0"}


@pytest.fixture
def staff_client(client, union_staff):
    client.force_login(union_staff)
    return client


@pytest.fixture
def objects(union_staff):
    room = MotherRoomFactory(level="hebei")
    inspection = services.mother_room_inspect(
        room=room,
        inspected_on=timezone.localdate(),
        measured_area_m2=12,
        results={item.code: True for item in load_checklist().ticked_items},
        actor=union_staff,
    )
    care_class = CareClassFactory()
    member = MemberFactory(membership=Member.Membership.VERIFIED)
    child = ChildFactory(guardian=member, birth_date=timezone.localdate() - timedelta(days=3000))
    enrolment = services.care_class_enrol(
        care_class=care_class, child=child, guardian=member, actor=member.user
    )
    return {
        "motherroom": room,
        "motherroominspection": inspection,
        "careclass": care_class,
        "careclassenrolment": enrolment,
        "collectivecontract": CollectiveContractFactory(),
        "employerwithoutcontract": EmployerFactory(),
        "statutoryfloor": StatutoryFloor.objects.first(),
    }


def url(model: str, view: str, *args) -> str:
    return reverse(f"admin:welfare_{model}_{view}", args=args)


@pytest.mark.parametrize("model", MODELS)
def test_changelist_opens_for_union_staff(staff_client, objects, model):
    assert staff_client.get(url(model, "changelist")).status_code == 200


@pytest.mark.parametrize("model", MODELS)
def test_changelist_search_opens_for_union_staff(staff_client, objects, model):
    assert staff_client.get(url(model, "changelist"), {"q": "迁安"}).status_code == 200


@pytest.mark.parametrize("model", ADDABLE)
def test_add_page_opens_for_union_staff(staff_client, model):
    assert staff_client.get(url(model, "add")).status_code == 200


@pytest.mark.parametrize("model", MODELS)
def test_change_page_opens_for_union_staff(staff_client, objects, model):
    assert staff_client.get(url(model, "change", objects[model].pk)).status_code == 200


def test_admin_is_closed_to_an_employer_admin(client, employer_admin):
    client.force_login(employer_admin)

    response = client.get(url("collectivecontract", "changelist"))

    assert response.status_code == 302


def test_expiry_filter_lists_contracts_expiring_within_ninety_days(staff_client):
    soon = timezone.localdate() + timedelta(days=60)
    CollectiveContractFactory(
        signed_on=soon - timedelta(days=700), ends_on=soon, flexible_hours_terms="soon"
    )
    CollectiveContractFactory(flexible_hours_terms="later")

    response = staff_client.get(url("collectivecontract", "changelist"), {"expiry": "expiring"})

    assert [c.flexible_hours_terms for c in response.context["cl"].result_list] == ["soon"]


def test_employers_without_contract_list(staff_client):
    without = EmployerFactory(name="无合同单位")
    CollectiveContractFactory(employer=EmployerFactory(name="有合同单位"))

    response = staff_client.get(url("employerwithoutcontract", "changelist"))

    assert [e.pk for e in response.context["cl"].result_list] == [without.pk]


def contract_form(employer, **overrides) -> dict:
    start = timezone.localdate() - timedelta(days=5)
    return {
        "employer": employer.pk,
        "signed_on": start.isoformat(),
        "starts_on": start.isoformat(),
        "ends_on": (start + timedelta(days=1000)).isoformat(),
        "maternity_leave_days": 158,
        "spouse_care_leave_days": 15,
        "nursing_minutes_per_day": 60,
        "nursing_until_months": 12,
        "parental_leave_days": 10,
        "flexible_hours_terms": "",
        "job_retention_terms": "",
        **overrides,
    }


def test_adding_a_contract_in_admin_goes_through_the_service(staff_client, storage):
    employer = EmployerFactory()
    form = contract_form(employer, signed_file=SimpleUploadedFile("c.pdf", b"%PDF-1.7 x"))

    response = staff_client.post(url("collectivecontract", "add"), form)

    contract = CollectiveContract.objects.get()
    assert response.status_code == 302
    assert (contract.employer_id, contract.signed_file_type) == (employer.pk, "pdf")
    assert AuditRecord.objects.filter(action="collective_contract.create").count() == 1


def test_admin_refuses_leave_below_the_floor_on_its_field(staff_client):
    form = contract_form(EmployerFactory(), spouse_care_leave_days=7)

    response = staff_client.post(url("collectivecontract", "add"), form)

    assert response.status_code == 200
    assert list(response.context["adminform"].form.errors) == ["spouse_care_leave_days"]
    assert CollectiveContract.objects.count() == 0


def test_admin_refuses_a_file_that_is_not_a_pdf_or_image(staff_client, storage):
    form = contract_form(
        EmployerFactory(), signed_file=SimpleUploadedFile("c.pdf", b"<html>not a pdf</html>")
    )

    response = staff_client.post(url("collectivecontract", "add"), form)

    assert list(response.context["adminform"].form.errors) == ["signed_file"]
    assert CollectiveContract.objects.count() == 0


def test_adding_a_room_in_admin_proposes_it(staff_client):
    form = {
        "host_union": UnionFactory().pk,
        "name": "新小屋",
        "version": "public",
        "address": "迁安市兴安街道1号",
        "area": first_area().pk,
        "floor_area_m2": "12.0",
        "latitude": "40.000000",
        "longitude": "118.700000",
        "opening_hours": "每日 8:00–20:00",
        "offers_feeding": "on",
    }

    response = staff_client.post(url("motherroom", "add"), form)

    room = MotherRoom.objects.get()
    assert response.status_code == 302
    assert (room.name, room.status) == ("新小屋", "proposed")
    assert AuditRecord.objects.filter(action="mother_room.propose").count() == 1


def test_approve_action_sets_qianan_level(staff_client):
    room = MotherRoomFactory(status="proposed", level="", recognised_on=None)

    staff_client.post(
        url("motherroom", "changelist"),
        {"action": "approve_qianan", "_selected_action": [room.pk]},
    )

    room.refresh_from_db()
    assert (room.status, room.level) == ("approved", "qianan")


def test_inspection_in_admin_can_withdraw_a_room(staff_client):
    room = MotherRoomFactory(level="tangshan")
    ticks = {f"item_{item.code}": "on" for item in load_checklist().ticked_items}
    del ticks["item_privacy"]

    response = staff_client.post(
        url("motherroominspection", "add"),
        {
            "room": room.pk,
            "inspected_on": timezone.localdate().isoformat(),
            "measured_area_m2": "12.0",
            "notes": "",
            **ticks,
        },
    )

    room.refresh_from_db()
    assert response.status_code == 302
    assert MotherRoomInspection.objects.get().failed_items == ["privacy"]
    assert room.status == "withdrawn"


def test_recognise_action_marks_the_tangshan_federation(staff_client):
    care_class = CareClassFactory()

    staff_client.post(
        url("careclass", "changelist"),
        {"action": "recognise_tangshan", "_selected_action": [care_class.pk]},
    )

    care_class.refresh_from_db()
    assert care_class.recognised_by == "tangshan"


def test_adding_a_care_class_in_admin_creates_a_draft(staff_client):
    form = {
        "organiser_union": UnionFactory().pk,
        "name": "课后托管班",
        "kind": "after_school",
        "place": "职工之家",
        "area": first_area().pk,
        "min_age": 6,
        "max_age": 12,
        "capacity": 20,
        "fee": "0.00",
        "description": "",
        **SESSIONS_INLINE,
    }

    response = staff_client.post(url("careclass", "add"), form)

    assert response.status_code == 302
    assert CareClass.objects.get().status == "draft"


def test_floor_edit_in_admin_is_audited(staff_client):
    floor = StatutoryFloor.objects.get(provision="parental_leave_days")

    staff_client.post(
        url("statutoryfloor", "change", floor.pk), {"minimum": 15, "source": "新条例"}
    )

    floor.refresh_from_db()
    assert floor.minimum == 15
    assert AuditRecord.objects.get(action="statutory_floor.update").to_state == "15"


def test_floor_below_national_law_is_refused_in_admin(staff_client):
    floor = StatutoryFloor.objects.get(provision="maternity_leave_days")

    response = staff_client.post(
        url("statutoryfloor", "change", floor.pk), {"minimum": 90, "source": "x"}
    )

    floor.refresh_from_db()
    assert list(response.context["adminform"].form.errors) == ["minimum"]
    assert floor.minimum == 158


# Session, user, counts, list filters' choices and the page itself; none of them per row.
CHANGELIST_QUERIES = {"motherroom": 8, "careclass": 8, "collectivecontract": 9}


@pytest.mark.parametrize("model", list(CHANGELIST_QUERIES))
@pytest.mark.parametrize("rows", [1, 30])
def test_changelist_query_count_does_not_grow_with_rows(
    staff_client, django_assert_num_queries, model, rows
):
    factory = {
        "motherroom": MotherRoomFactory,
        "careclass": CareClassFactory,
        "collectivecontract": CollectiveContractFactory,
    }[model]
    factory.create_batch(rows)

    with django_assert_num_queries(CHANGELIST_QUERIES[model]):
        response = staff_client.get(url(model, "changelist"))

    assert response.context["cl"].result_count == rows
