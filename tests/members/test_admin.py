from datetime import date

import pytest
from django.urls import reverse

from apps.core.models import AuditRecord
from apps.core.validators import make_id_number
from apps.members.models import Member, Union
from apps.members.services import child_create
from tests.members.factories import GuardianConsentFactory, MemberFactory, UnionFactory

pytestmark = pytest.mark.django_db

MODELS = ["union", "member", "guardianconsent", "child", "guardianship"]
ADDABLE = ["union", "member"]
# The member admin carries the (read-only) employment inline; its formset still posts this.
EMPLOYMENT_INLINE = {"employments-TOTAL_FORMS": "0", "employments-INITIAL_FORMS": "0"}


@pytest.fixture
def staff_client(client, union_staff):
    client.force_login(union_staff)
    return client


@pytest.fixture
def objects(child):
    guardianship = child.guardianships.get()
    return {
        "union": UnionFactory(),
        "member": child.consent.guardian,
        "guardianconsent": child.consent,
        "child": child,
        "guardianship": guardianship,
    }


def url(model: str, view: str, *args) -> str:
    return reverse(f"admin:members_{model}_{view}", args=args)


@pytest.mark.parametrize("model", MODELS)
def test_changelist_opens_for_union_staff(staff_client, objects, model):
    assert staff_client.get(url(model, "changelist")).status_code == 200


@pytest.mark.parametrize("model", MODELS)
def test_changelist_search_opens_for_union_staff(staff_client, objects, model):
    assert staff_client.get(url(model, "changelist"), {"q": "陈"}).status_code == 200


@pytest.mark.parametrize("model", ADDABLE)
def test_add_page_opens_for_union_staff(staff_client, model):
    assert staff_client.get(url(model, "add")).status_code == 200


@pytest.mark.parametrize("model", MODELS)
def test_change_page_opens_for_union_staff(staff_client, objects, model):
    assert staff_client.get(url(model, "change", objects[model].pk)).status_code == 200


@pytest.mark.parametrize("model", ["union", "member", "child"])
def test_history_page_opens_for_union_staff(staff_client, objects, model):
    assert staff_client.get(url(model, "history", objects[model].pk)).status_code == 200


def test_admin_is_closed_to_a_parent(client, parent_user):
    client.force_login(parent_user)

    response = client.get(url("member", "changelist"))

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_member_changelist_shows_the_id_number_masked_only(staff_client, member):
    response = staff_client.get(url("member", "changelist"))

    page = response.content.decode()
    assert member.id_number_masked in page
    assert member.id_number not in page
    assert member.mobile not in page


def test_member_change_page_never_shows_the_plain_id_number(staff_client, member):
    response = staff_client.get(url("member", "change", member.pk))

    page = response.content.decode()
    assert member.id_number_masked in page
    assert member.id_number not in page


def test_member_search_by_exact_id_number_finds_the_member(staff_client, member, other_member):
    term = member.id_number[:6] + " " + member.id_number[6:].lower()

    response = staff_client.get(url("member", "changelist"), {"q": term})

    assert list(response.context["cl"].result_list) == [member]


def test_member_search_by_name_still_works(staff_client, member, other_member):
    response = staff_client.get(url("member", "changelist"), {"q": member.full_name})

    assert member in list(response.context["cl"].result_list)


def test_member_add_in_the_admin_goes_through_the_service(staff_client, union_staff, parent_user):
    number = make_id_number(birth=date(1991, 2, 3), sequence=5)
    data = {
        "user": parent_user.pk,
        "full_name": "赵磊",
        "id_number_entry": number,
        "mobile": "+86 13800138000",
        "union": "",
        **EMPLOYMENT_INLINE,
    }

    response = staff_client.post(url("member", "add"), data)

    assert response.status_code == 302
    member = Member.objects.get()
    assert (member.user, member.id_number, member.mobile) == (parent_user, number, "13800138000")
    assert AuditRecord.objects.get(action="member.create").actor == union_staff


def test_member_add_in_the_admin_refuses_a_registered_id_number(staff_client, parent_user):
    existing = MemberFactory()
    data = {
        "user": parent_user.pk,
        "full_name": "赵磊",
        "id_number_entry": existing.id_number,
        "mobile": "13800138000",
        "union": "",
        **EMPLOYMENT_INLINE,
    }

    response = staff_client.post(url("member", "add"), data)

    assert response.status_code == 200
    assert list(response.context["adminform"].form.errors) == ["id_number_entry"]
    assert Member.objects.count() == 1


def test_member_membership_change_in_the_admin_is_audited_with_a_reason(
    staff_client, union_staff, member
):
    union = UnionFactory()
    data = {
        "full_name": member.full_name,
        "mobile": member.mobile,
        "union": union.pk,
        "membership": "verified",
        **EMPLOYMENT_INLINE,
    }

    response = staff_client.post(url("member", "change", member.pk), data)

    assert response.status_code == 302
    member.refresh_from_db()
    assert (member.union, member.membership) == (union, "verified")
    record = AuditRecord.objects.get(action="member.membership_set")
    assert (record.actor, record.from_state, record.to_state) == (union_staff, "none", "verified")
    assert record.reason


def test_member_verification_without_a_union_is_a_form_error(staff_client, member):
    data = {
        "full_name": member.full_name,
        "mobile": member.mobile,
        "union": "",
        "membership": "verified",
        **EMPLOYMENT_INLINE,
    }

    response = staff_client.post(url("member", "change", member.pk), data)

    assert response.status_code == 200
    assert list(response.context["adminform"].form.errors) == ["union"]
    member.refresh_from_db()
    assert member.membership == "none"


def test_union_add_in_the_admin_goes_through_the_service(staff_client, union_staff):
    data = {"name": "迁安市总工会", "kind": "city_federation", "parent": "", "is_active": "on"}

    response = staff_client.post(url("union", "add"), data)

    assert response.status_code == 302
    union = Union.objects.get()
    assert AuditRecord.objects.get(action="union.create").target_id == str(union.pk)


def test_union_change_refusing_a_cycle_is_a_form_error(staff_client):
    top = UnionFactory(kind="industry_federation")
    below = UnionFactory(parent=top)
    data = {"name": top.name, "kind": top.kind, "parent": below.pk, "is_active": "on"}

    response = staff_client.post(url("union", "change", top.pk), data)

    assert response.status_code == 200
    assert list(response.context["adminform"].form.errors) == ["parent"]
    top.refresh_from_db()
    assert top.parent is None


def test_child_pages_show_the_id_number_masked_only(staff_client, member):
    number = make_id_number(birth=date(2025, 3, 1), sequence=21)
    child = child_create(
        guardian=member,
        full_name="陈小雨",
        birth_date=date(2025, 3, 1),
        sex="F",
        id_number=number,
        relation="mother",
        consent_notice_version="2026-01",
        actor=member.user,
    )

    pages = [
        staff_client.get(url("child", "changelist")).content.decode(),
        staff_client.get(url("child", "change", child.pk)).content.decode(),
    ]

    for page in pages:
        assert child.id_number_masked in page
        assert number not in page


def test_child_search_by_exact_id_number_finds_the_child(staff_client, member, other_child):
    number = make_id_number(birth=date(2025, 3, 1), sequence=23)
    child = child_create(
        guardian=member,
        full_name="陈小雨",
        birth_date=date(2025, 3, 1),
        sex="F",
        id_number=number,
        relation="mother",
        consent_notice_version="2026-01",
        actor=member.user,
    )

    response = staff_client.get(url("child", "changelist"), {"q": number})

    assert list(response.context["cl"].result_list) == [child]


def test_child_admin_cannot_add_children(staff_client):
    assert staff_client.get(url("child", "add")).status_code == 403


def test_guardian_consents_are_read_only(staff_client):
    consent = GuardianConsentFactory()

    response = staff_client.post(url("guardianconsent", "change", consent.pk), {})

    assert response.status_code == 403
