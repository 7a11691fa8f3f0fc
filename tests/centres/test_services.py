from decimal import Decimal

import pytest

from apps.centres import services
from apps.centres.models import Caregiver, Centre, CentreAdmin, CentreClass
from apps.centres.ratios import AgeClass
from apps.core.errors import DomainError
from apps.core.models import Area, AuditRecord, Notice
from tests.centres.factories import (
    CaregiverFactory,
    CentreAdminFactory,
    CentreClassFactory,
    CentreFactory,
    FederationFactory,
    credit_code,
)

pytestmark = pytest.mark.django_db

VALID_CODE = credit_code(900)


def create(actor, **overrides) -> Centre:
    fields = {
        "name": "滨河托育园",
        "credit_code": VALID_CODE,
        "operator": "迁安市滨河托育服务有限公司",
        "address": "迁安市滨河街道1号",
        "area": Area.objects.get(code="JD03"),
        "latitude": Decimal("40.0118"),
        "longitude": Decimal("118.7012"),
    }
    return services.centre_create(actor=actor, **{**fields, **overrides})


def refused(call) -> DomainError:
    with pytest.raises(DomainError) as caught:
        call()
    return caught.value


# Registering a centre


def test_created_centre_is_pending_and_audited(union_staff):
    centre = create(union_staff)

    assert centre.status == "pending"
    record = AuditRecord.objects.get()
    assert (record.action, record.actor, record.to_state) == (
        "centre.create",
        union_staff,
        "pending",
    )
    assert record.target_id == str(centre.pk)


def test_credit_code_is_stored_in_canonical_form(union_staff):
    typed = " " + VALID_CODE.lower()

    centre = create(union_staff, credit_code=typed)

    assert centre.credit_code == VALID_CODE


def test_centre_with_a_wrong_check_character_is_refused(union_staff, english):
    wrong = VALID_CODE[:-1] + ("1" if VALID_CODE[-1] != "1" else "2")

    error = refused(lambda: create(union_staff, credit_code=wrong))

    assert list(error.fields) == ["credit_code"]
    assert "check character" in error.fields["credit_code"][0]
    assert (Centre.objects.count(), AuditRecord.objects.count()) == (0, 0)


def test_centre_with_a_registered_credit_code_is_refused(union_staff):
    CentreFactory(credit_code=VALID_CODE)

    error = refused(lambda: create(union_staff))

    assert (error.code, list(error.fields)) == ("duplicate", ["credit_code"])
    assert (Centre.objects.count(), AuditRecord.objects.count()) == (1, 0)


@pytest.mark.parametrize(
    ("latitude", "longitude", "field"),
    [("118.7012", "40.0118", "latitude"), ("40.0118", "140.5", "longitude")],
    ids=["swapped", "east-of-china"],
)
def test_centre_outside_china_is_refused(union_staff, latitude, longitude, field):
    error = refused(
        lambda: create(union_staff, latitude=Decimal(latitude), longitude=Decimal(longitude))
    )

    assert list(error.fields) == [field]
    assert Centre.objects.count() == 0


def test_filed_centre_without_a_filing_number_is_refused(union_staff):
    error = refused(lambda: create(union_staff, filing_status=Centre.Filing.FILED))

    assert list(error.fields) == ["filing_number"]
    assert Centre.objects.count() == 0


def test_staff_in_the_federation_without_federation_membership_is_refused(union_staff):
    error = refused(lambda: create(union_staff, federation_staff_count=12))

    assert list(error.fields) == ["federation_staff_count"]
    assert Centre.objects.count() == 0


def test_federation_must_be_an_industry_federation(union_staff):
    grassroots = FederationFactory(kind="grassroots")

    error = refused(lambda: create(union_staff, federation=grassroots))

    assert list(error.fields) == ["federation"]
    assert Centre.objects.count() == 0


def test_centre_in_the_federation_keeps_its_staff_count(union_staff):
    federation = FederationFactory()

    centre = create(union_staff, federation=federation, federation_staff_count=12)

    assert (centre.federation, centre.federation_staff_count) == (federation, 12)


# Updating a centre


def test_update_changes_the_fields_and_records_old_and_new(centre, union_staff):
    services.centre_update(centre=centre, actor=union_staff, contact_phone="0315-5600000")

    centre.refresh_from_db()
    assert centre.contact_phone == "0315-5600000"
    record = AuditRecord.objects.get(action="centre.update")
    assert record.changes == {"contact_phone": ["", "0315-5600000"]}


def test_update_without_a_change_records_nothing(centre, union_staff):
    services.centre_update(centre=centre, actor=union_staff, name=centre.name)

    assert AuditRecord.objects.count() == 0


def test_update_to_a_bad_phone_number_changes_nothing(centre, union_staff):
    error = refused(
        lambda: services.centre_update(centre=centre, actor=union_staff, contact_phone="call me")
    )

    assert list(error.fields) == ["contact_phone"]
    centre.refresh_from_db()
    assert (centre.contact_phone, AuditRecord.objects.count()) == ("", 0)


def test_update_to_another_centres_credit_code_is_refused(centre, other_centre, union_staff):
    error = refused(
        lambda: services.centre_update(
            centre=centre, actor=union_staff, credit_code=other_centre.credit_code
        )
    )

    assert error.code == "duplicate"
    assert Centre.objects.get(pk=centre.pk).credit_code == centre.credit_code


def test_status_cannot_be_changed_by_update(centre, union_staff):
    with pytest.raises(TypeError):
        services.centre_update(centre=centre, actor=union_staff, status="approved")


# Approval states

ALLOWED_MOVES = [
    ("pending", services.centre_approve, "approved", ""),
    ("pending", services.centre_refuse, "refused", "证照不全"),
    ("approved", services.centre_suspend, "suspended", "师资不足"),
    ("suspended", services.centre_reinstate, "approved", ""),
]


@pytest.mark.parametrize(
    ("start", "service", "end", "reason"),
    ALLOWED_MOVES,
    ids=["approve", "refuse", "suspend", "reinstate"],
)
def test_allowed_move_changes_status_and_is_audited(union_staff, start, service, end, reason):
    centre = CentreFactory(status=start)
    kwargs = {"reason": reason} if reason else {}

    result = service(centre=centre, actor=union_staff, **kwargs)

    assert result.status == end
    assert Centre.objects.get(pk=centre.pk).status == end
    record = AuditRecord.objects.get()
    assert (record.from_state, record.to_state, record.reason) == (start, end, reason)
    assert record.actor == union_staff


@pytest.mark.parametrize(
    ("start", "service", "end", "reason"),
    ALLOWED_MOVES,
    ids=["approve", "refuse", "suspend", "reinstate"],
)
def test_allowed_move_notifies_the_centres_admins(union_staff, start, service, end, reason):
    link = CentreAdminFactory(centre=CentreFactory(status=start, name="爱心园"))
    kwargs = {"reason": reason} if reason else {}

    service(centre=link.centre, actor=union_staff, **kwargs)

    notice = Notice.objects.get()
    assert notice.recipient == link.user
    assert "爱心园" in notice.title
    assert notice.link == "/centre/"
    assert reason in notice.body


def test_move_keeps_a_history_row_with_who_and_why(union_staff):
    centre = CentreFactory(status="approved")

    services.centre_suspend(centre=centre, actor=union_staff, reason="师资不足")

    latest = centre.history.first()
    assert (latest.status, latest.history_user, latest.history_change_reason) == (
        "suspended",
        union_staff,
        "师资不足",
    )


REFUSED_MOVES = [
    (start, service)
    for start in ("pending", "approved", "refused", "suspended")
    for service in (
        services.centre_approve,
        services.centre_refuse,
        services.centre_suspend,
        services.centre_reinstate,
    )
    if not any(start == s and service is f for s, f, _, _ in ALLOWED_MOVES)
]


@pytest.mark.parametrize(
    ("start", "service"),
    REFUSED_MOVES,
    ids=[f"{start}-{service.__name__}" for start, service in REFUSED_MOVES],
)
def test_move_not_in_the_state_table_is_refused_and_changes_nothing(union_staff, start, service):
    link = CentreAdminFactory(centre=CentreFactory(status=start))

    error = refused(lambda: service(centre=link.centre, actor=union_staff, reason="理由"))

    assert (error.code, error.status_code) == ("invalid_transition", 409)
    assert Centre.objects.get(pk=link.centre_id).status == start
    assert (AuditRecord.objects.count(), Notice.objects.count()) == (0, 0)


@pytest.mark.parametrize(
    ("start", "service"),
    [("pending", services.centre_refuse), ("approved", services.centre_suspend)],
    ids=["refuse", "suspend"],
)
def test_refusing_or_suspending_without_a_reason_is_refused(union_staff, start, service):
    centre = CentreFactory(status=start)

    error = refused(lambda: service(centre=centre, actor=union_staff, reason="  "))

    assert list(error.fields) == ["reason"]
    assert (Centre.objects.get(pk=centre.pk).status, AuditRecord.objects.count()) == (start, 0)


# Centre admins


def test_centre_admin_account_is_linked_and_told(centre, centre_admin_user, union_staff):
    link = services.centre_admin_add(centre=centre, user=centre_admin_user, actor=union_staff)

    assert (link.centre, link.user) == (centre, centre_admin_user)
    assert AuditRecord.objects.get().action == "centre.admin_add"
    assert Notice.objects.get().recipient == centre_admin_user


def test_account_of_another_role_cannot_manage_a_centre(centre, parent_user, union_staff):
    error = refused(
        lambda: services.centre_admin_add(centre=centre, user=parent_user, actor=union_staff)
    )

    assert list(error.fields) == ["user"]
    assert (CentreAdmin.objects.count(), AuditRecord.objects.count()) == (0, 0)


def test_account_cannot_manage_two_centres(centre, other_centre, centre_admin, union_staff):
    error = refused(
        lambda: services.centre_admin_add(centre=other_centre, user=centre_admin, actor=union_staff)
    )

    assert list(error.fields) == ["user"]
    assert list(CentreAdmin.objects.values_list("centre", flat=True)) == [centre.pk]


def test_removing_a_centre_admin_is_audited(centre, centre_admin, union_staff):
    services.centre_admin_remove(centre_admin=centre_admin.centre_admin, actor=union_staff)

    assert CentreAdmin.objects.count() == 0
    assert AuditRecord.objects.get().changes == {"user": [centre_admin.pk, None]}


# Classes


def create_class(centre, actor, **overrides) -> CentreClass:
    fields = {
        "name": "托小一班",
        "age_class": AgeClass.TODDLER,
        "capacity": 15,
        "monthly_price": Decimal("1800"),
    }
    return services.centre_class_create(centre=centre, actor=actor, **{**fields, **overrides})


def test_class_is_created_with_its_price_rounded_to_the_fen(centre, centre_admin):
    centre_class = create_class(centre, centre_admin, monthly_price=Decimal("1800.005"))

    assert centre_class.monthly_price == Decimal("1800.01")
    assert AuditRecord.objects.get().action == "centre_class.create"


@pytest.mark.parametrize(
    ("age_class", "capacity", "maximum"),
    [(AgeClass.INFANT, 11, 10), (AgeClass.TODDLER, 16, 15), (AgeClass.KG_LARGE, 36, 35)],
)
def test_class_above_the_national_maximum_is_refused(
    centre, union_staff, english, age_class, capacity, maximum
):
    error = refused(
        lambda: create_class(centre, union_staff, age_class=age_class, capacity=capacity)
    )

    assert list(error.fields) == ["capacity"]
    assert f"between 1 and {maximum} children" in error.fields["capacity"][0]
    assert "national maximum" in error.fields["capacity"][0]
    assert CentreClass.objects.count() == 0


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"capacity": 0}, "capacity"),
        ({"monthly_price": Decimal("-1")}, "monthly_price"),
        ({"monthly_price": "abc"}, "monthly_price"),
        ({"age_class": "nursery"}, "age_class"),
        ({"name": ""}, "name"),
    ],
    ids=["no-room", "negative-price", "price-not-a-number", "unknown-age-class", "no-name"],
)
def test_class_with_a_bad_field_is_refused(centre, union_staff, overrides, field):
    error = refused(lambda: create_class(centre, union_staff, **overrides))

    assert list(error.fields) == [field]
    assert (CentreClass.objects.count(), AuditRecord.objects.count()) == (0, 0)


def test_class_name_is_unique_within_a_centre(centre, other_centre, union_staff):
    create_class(centre, union_staff)
    create_class(other_centre, union_staff)

    error = refused(lambda: create_class(centre, union_staff))

    assert list(error.fields) == ["name"]
    assert CentreClass.objects.count() == 2


def test_class_update_records_old_and_new_values(union_staff):
    centre_class = CentreClassFactory(capacity=15, monthly_price=Decimal("1800.00"))

    services.centre_class_update(
        centre_class=centre_class, actor=union_staff, capacity=12, monthly_price=Decimal("1500")
    )

    centre_class.refresh_from_db()
    assert (centre_class.capacity, centre_class.monthly_price) == (12, Decimal("1500.00"))
    assert AuditRecord.objects.get().changes == {
        "capacity": [15, 12],
        "monthly_price": ["1800.00", "1500.00"],
    }


def test_changing_the_age_class_checks_the_capacity_against_the_new_maximum(union_staff):
    centre_class = CentreClassFactory(age_class=AgeClass.TODDLER, capacity=15)

    error = refused(
        lambda: services.centre_class_update(
            centre_class=centre_class, actor=union_staff, age_class=AgeClass.INFANT
        )
    )

    assert list(error.fields) == ["capacity"]
    centre_class.refresh_from_db()
    assert (centre_class.age_class, AuditRecord.objects.count()) == (AgeClass.TODDLER, 0)


# Caregivers


def test_assigning_caregivers_replaces_the_class_staff(union_staff):
    centre_class = CentreClassFactory(staffed=2)
    newcomer = CaregiverFactory(centre=centre_class.centre)
    stays = centre_class.caregivers.order_by("pk").first()

    services.centre_class_assign_caregivers(
        centre_class=centre_class, caregivers=[stays, newcomer], actor=union_staff
    )

    assert set(centre_class.caregivers.all()) == {stays, newcomer}
    record = AuditRecord.objects.get()
    assert record.changes["caregivers"][1] == sorted([stays.pk, newcomer.pk])


def test_caregiver_of_another_centre_cannot_be_assigned(union_staff):
    centre_class = CentreClassFactory(staffed=1)
    stranger = CaregiverFactory()
    before = list(centre_class.caregivers.all())

    error = refused(
        lambda: services.centre_class_assign_caregivers(
            centre_class=centre_class, caregivers=[stranger], actor=union_staff
        )
    )

    assert list(error.fields) == ["caregivers"]
    assert f"#{stranger.pk}" in error.fields["caregivers"][0]
    assert list(centre_class.caregivers.all()) == before
    assert AuditRecord.objects.count() == 0


def test_caregiver_who_left_cannot_be_assigned(union_staff):
    centre_class = CentreClassFactory()
    departed = CaregiverFactory(centre=centre_class.centre, is_active=False)

    error = refused(
        lambda: services.centre_class_assign_caregivers(
            centre_class=centre_class, caregivers=[departed], actor=union_staff
        )
    )

    assert list(error.fields) == ["caregivers"]
    assert centre_class.caregivers.count() == 0


def test_caregiver_is_created_and_audited_without_their_name(centre, centre_admin):
    caregiver = services.caregiver_create(
        centre=centre, full_name=" 李红 ", role=Caregiver.Role.TEACHER, actor=centre_admin
    )

    assert (caregiver.full_name, caregiver.role, caregiver.is_active) == ("李红", "teacher", True)
    assert "李红" not in str(AuditRecord.objects.get().changes)


def test_caregiver_without_a_name_is_refused(centre, centre_admin):
    error = refused(
        lambda: services.caregiver_create(centre=centre, full_name=" ", actor=centre_admin)
    )

    assert list(error.fields) == ["full_name"]
    assert Caregiver.objects.count() == 0


def test_caregiver_name_change_is_audited_without_the_names(union_staff):
    caregiver = CaregiverFactory(full_name="王芳")

    services.caregiver_update(caregiver=caregiver, actor=union_staff, full_name="王芳芳")

    assert Caregiver.objects.get().full_name == "王芳芳"
    assert AuditRecord.objects.get().changes == {"full_name": "changed"}


def test_deactivated_caregiver_no_longer_works_here(union_staff):
    caregiver = CaregiverFactory()

    services.caregiver_deactivate(caregiver=caregiver, actor=union_staff, reason="离职")

    assert Caregiver.objects.get().is_active is False
    record = AuditRecord.objects.get()
    assert (record.from_state, record.to_state, record.reason) == ("active", "inactive", "离职")


def test_caregiver_cannot_be_deactivated_twice(union_staff):
    caregiver = CaregiverFactory(is_active=False)

    error = refused(lambda: services.caregiver_deactivate(caregiver=caregiver, actor=union_staff))

    assert error.code == "invalid_transition"
    assert AuditRecord.objects.count() == 0
