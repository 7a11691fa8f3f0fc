import pytest

from apps.core.models import AuditRecord, Notice
from apps.core.validators import make_credit_code
from apps.employers.models import Employer, EmployerAdmin
from apps.employers.services.registry import (
    EmployerError,
    employer_admin_add,
    employer_approve,
    employer_create,
    employer_refuse,
    employer_reinstate,
    employer_suspend,
    employer_update,
)
from apps.members.models import Union
from tests.accounts.factories import UserFactory
from tests.employers.factories import EmployerAdminFactory, EmployerFactory
from tests.members.factories import UnionFactory

pytestmark = pytest.mark.django_db

CREDIT_CODE = make_credit_code("91130283MA0ABCDEF")


@pytest.fixture
def area():
    from apps.core.models import Area

    return Area.objects.order_by("sort_order").first()


def _create(actor, area, **overrides):
    arguments = {
        "name": "迁安鑫达钢铁有限公司",
        "credit_code": CREDIT_CODE,
        "kind": "enterprise",
        "address": "迁安市夏官营镇",
        "area": area,
        "actor": actor,
    }
    return employer_create(**{**arguments, **overrides})


def _pending(**kwargs):
    employer = EmployerFactory(status="pending", **kwargs)
    EmployerAdminFactory(employer=employer, user__language="zh-hans")
    return employer


def test_employer_create_registers_a_pending_employer_and_audits(union_staff, area):
    employer = _create(union_staff, area, credit_code=CREDIT_CODE.lower())

    employer.refresh_from_db()
    assert (employer.credit_code, employer.status, employer.area) == (CREDIT_CODE, "pending", area)
    record = AuditRecord.objects.get(action="employer.create")
    assert (record.actor, record.target_id, record.to_state) == (
        union_staff,
        str(employer.pk),
        "pending",
    )


def test_employer_create_refuses_an_invalid_credit_code(union_staff, area):
    with pytest.raises(EmployerError) as caught:
        _create(union_staff, area, credit_code=CREDIT_CODE[:-1] + "I")

    assert list(caught.value.fields) == ["credit_code"]
    assert not Employer.objects.exists()
    assert not AuditRecord.objects.exists()


def test_employer_create_refuses_a_credit_code_already_registered(union_staff, area):
    EmployerFactory(credit_code=CREDIT_CODE)

    with pytest.raises(EmployerError) as caught:
        _create(union_staff, area, credit_code=" " + CREDIT_CODE.lower())

    assert (caught.value.code, list(caught.value.fields)) == ("duplicate", ["credit_code"])
    assert Employer.objects.count() == 1


def test_employer_create_refuses_a_union_that_is_not_grassroots(union_staff, area):
    federation = UnionFactory(kind=Union.Kind.CITY_FEDERATION)

    with pytest.raises(EmployerError) as caught:
        _create(union_staff, area, union=federation)

    assert list(caught.value.fields) == ["union"]
    assert not Employer.objects.exists()


def test_employer_update_changes_details_and_audits_field_names(union_staff):
    employer = EmployerFactory(name="旧名")

    employer_update(employer=employer, name="新名", address="新地址", actor=union_staff)

    employer.refresh_from_db()
    assert (employer.name, employer.address) == ("新名", "新地址")
    record = AuditRecord.objects.get(action="employer.update")
    assert record.changes == {"fields": ["address", "name"]}


def test_employer_update_refuses_another_employers_credit_code(union_staff):
    employer, other = EmployerFactory(), EmployerFactory()
    before = employer.credit_code

    with pytest.raises(EmployerError) as caught:
        employer_update(employer=employer, credit_code=other.credit_code, actor=union_staff)

    assert list(caught.value.fields) == ["credit_code"]
    employer.refresh_from_db()
    assert employer.credit_code == before


def test_employer_approve_moves_pending_to_approved_and_tells_its_admins(union_staff):
    employer = _pending(name="凯达工贸有限责任公司")

    employer_approve(employer=employer, actor=union_staff)

    employer.refresh_from_db()
    assert employer.status == "approved"
    record = AuditRecord.objects.get(action="employer.approve")
    assert (record.from_state, record.to_state) == ("pending", "approved")
    notice = Notice.objects.get()
    assert notice.recipient == employer.admins.get().user
    assert "凯达工贸有限责任公司" in notice.title


def test_employer_notice_is_in_the_admins_language(union_staff):
    employer = EmployerFactory(status="pending", name="Kaida")
    admin = EmployerAdminFactory(employer=employer, user__language="en").user

    employer_approve(employer=employer, actor=union_staff)

    assert Notice.objects.get(recipient=admin).title == "Kaida has been approved"


def test_employer_refuse_keeps_the_reason_and_tells_the_admins(union_staff):
    employer = _pending()

    employer_refuse(employer=employer, reason="材料不全", actor=union_staff)

    employer.refresh_from_db()
    assert employer.status == "refused"
    assert AuditRecord.objects.get(action="employer.refuse").reason == "材料不全"
    assert Notice.objects.get().body == "材料不全"


def test_employer_refuse_requires_a_reason(union_staff):
    employer = _pending()

    with pytest.raises(EmployerError) as caught:
        employer_refuse(employer=employer, reason="  ", actor=union_staff)

    assert list(caught.value.fields) == ["reason"]
    employer.refresh_from_db()
    assert employer.status == "pending"
    assert not Notice.objects.exists()


def test_employer_suspend_moves_approved_to_suspended(union_staff):
    employer = EmployerFactory(status="approved")

    employer_suspend(employer=employer, reason="停业整顿", actor=union_staff)

    employer.refresh_from_db()
    assert employer.status == "suspended"
    assert AuditRecord.objects.get(action="employer.suspend").reason == "停业整顿"


def test_employer_suspend_requires_a_reason(union_staff):
    employer = EmployerFactory(status="approved")

    with pytest.raises(EmployerError) as caught:
        employer_suspend(employer=employer, reason="", actor=union_staff)

    assert list(caught.value.fields) == ["reason"]
    employer.refresh_from_db()
    assert employer.status == "approved"


def test_employer_reinstate_moves_suspended_to_approved(union_staff):
    employer = EmployerFactory(status="suspended")

    employer_reinstate(employer=employer, actor=union_staff)

    employer.refresh_from_db()
    assert employer.status == "approved"
    record = AuditRecord.objects.get(action="employer.reinstate")
    assert (record.from_state, record.to_state) == ("suspended", "approved")


MOVES = {
    "approve": (employer_approve, {}),
    "refuse": (employer_refuse, {"reason": "不符合条件"}),
    "suspend": (employer_suspend, {"reason": "停业"}),
    "reinstate": (employer_reinstate, {}),
}
ALLOWED_FROM = {"approve": "pending", "refuse": "pending", "suspend": "approved"}
ALLOWED_FROM["reinstate"] = "suspended"
REFUSED_MOVES = [
    (action, status)
    for action in MOVES
    for status in ["pending", "approved", "refused", "suspended"]
    if status != ALLOWED_FROM[action]
]


@pytest.mark.parametrize(("action", "status"), REFUSED_MOVES)
def test_employer_moves_outside_the_state_table_are_refused(union_staff, action, status):
    employer = EmployerFactory(status=status)
    EmployerAdminFactory(employer=employer)
    service, kwargs = MOVES[action]

    with pytest.raises(EmployerError) as caught:
        service(employer=employer, actor=union_staff, **kwargs)

    assert (caught.value.code, caught.value.status_code) == ("invalid_transition", 409)
    assert list(caught.value.fields) == ["status"]
    employer.refresh_from_db()
    assert employer.status == status
    assert not AuditRecord.objects.exists()
    assert not Notice.objects.exists()


def test_employer_admin_add_links_the_account_and_audits(union_staff):
    employer = EmployerFactory()
    user = UserFactory(role="employer_admin")

    link = employer_admin_add(employer=employer, user=user, actor=union_staff)

    assert (link.employer, link.user) == (employer, user)
    assert AuditRecord.objects.get(action="employer.admin_add").changes == {"user": user.pk}


def test_employer_admin_add_refuses_an_account_of_another_role(union_staff, parent_user):
    employer = EmployerFactory()

    with pytest.raises(EmployerError) as caught:
        employer_admin_add(employer=employer, user=parent_user, actor=union_staff)

    assert list(caught.value.fields) == ["user"]
    assert not EmployerAdmin.objects.exists()


def test_employer_admin_add_refuses_an_account_already_at_an_employer(union_staff):
    existing = EmployerAdminFactory()

    with pytest.raises(EmployerError) as caught:
        employer_admin_add(employer=EmployerFactory(), user=existing.user, actor=union_staff)

    assert (caught.value.code, list(caught.value.fields)) == ("duplicate", ["user"])
    assert list(EmployerAdmin.objects.all()) == [existing]
