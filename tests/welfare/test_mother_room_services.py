from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from apps.core.models import AuditRecord
from apps.welfare import services
from apps.welfare.checklist import load_checklist
from apps.welfare.errors import WelfareError
from apps.welfare.models import Level, MotherRoom, MotherRoomInspection
from tests.members.factories import UnionFactory
from tests.welfare.factories import MotherRoomFactory, first_area

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def proposal(**overrides) -> dict:
    values = {
        "name": "新建小屋",
        "version": MotherRoom.Version.PUBLIC,
        "address": "迁安市兴安街道1号",
        "area": first_area(),
        "floor_area_m2": Decimal("10.0"),
        "latitude": Decimal("40.0"),
        "longitude": Decimal("118.7"),
        "opening_hours": "每日 8:00–20:00",
        "offers_feeding": True,
    }
    return {**values, **overrides}


def all_pass() -> dict[str, bool]:
    return {item.code: True for item in load_checklist().ticked_items}


def inspect(room, *, area="12.0", failing=(), day=None, actor=None):
    results = {**all_pass(), **dict.fromkeys(failing, False)}
    return services.mother_room_inspect(
        room=room,
        inspected_on=day or TODAY(),
        measured_area_m2=Decimal(area),
        results=results,
        actor=actor,
    )


def test_proposal_waits_for_approval_and_is_audited(union_staff):
    room = services.mother_room_propose(actor=union_staff, host_union=UnionFactory(), **proposal())

    assert (room.status, room.level, room.recognised_on) == ("proposed", "", None)
    assert AuditRecord.objects.filter(action="mother_room.propose").count() == 1


def test_proposal_under_ten_square_metres_is_refused(union_staff):
    with pytest.raises(WelfareError) as refused:
        services.mother_room_propose(
            actor=union_staff, host_union=UnionFactory(), **proposal(floor_area_m2=Decimal("9.9"))
        )

    assert list(refused.value.fields) == ["floor_area_m2"]
    assert MotherRoom.objects.count() == 0


def test_proposal_without_any_function_is_refused(union_staff):
    with pytest.raises(WelfareError) as refused:
        services.mother_room_propose(
            actor=union_staff, host_union=UnionFactory(), **proposal(offers_feeding=False)
        )

    assert list(refused.value.fields) == ["functions"]
    assert MotherRoom.objects.count() == 0


def test_approval_sets_the_level_and_its_date(union_staff):
    room = MotherRoomFactory(status="proposed", level="", recognised_on=None)

    services.mother_room_approve(
        room=room, level=Level.QIANAN, recognised_on=date(2024, 3, 1), actor=union_staff
    )

    room.refresh_from_db()
    assert (room.status, room.level, room.recognised_on) == ("approved", "qianan", date(2024, 3, 1))


def test_approving_an_approved_room_is_a_conflict(union_staff):
    room = MotherRoomFactory()

    with pytest.raises(WelfareError) as refused:
        services.mother_room_approve(
            room=room, level=Level.HEBEI, recognised_on=TODAY(), actor=union_staff
        )

    assert refused.value.status_code == 409
    room.refresh_from_db()
    assert room.level == "tangshan"


def test_recognition_in_the_future_is_refused(union_staff):
    room = MotherRoomFactory(status="proposed", level="", recognised_on=None)

    with pytest.raises(WelfareError) as refused:
        services.mother_room_approve(
            room=room,
            level=Level.QIANAN,
            recognised_on=TODAY() + timedelta(days=1),
            actor=union_staff,
        )

    assert list(refused.value.fields) == ["recognised_on"]
    room.refresh_from_db()
    assert room.status == "proposed"


def test_refusal_needs_a_reason(union_staff):
    room = MotherRoomFactory(status="proposed", level="", recognised_on=None)

    with pytest.raises(WelfareError) as refused:
        services.mother_room_refuse(room=room, reason="  ", actor=union_staff)

    assert list(refused.value.fields) == ["reason"]


def test_setting_a_higher_level_records_its_date(union_staff):
    room = MotherRoomFactory(level=Level.TANGSHAN)

    services.mother_room_set_level(
        room=room, level=Level.HEBEI, recognised_on=date(2024, 5, 1), actor=union_staff
    )

    room.refresh_from_db()
    assert (room.level, room.recognised_on) == ("hebei", date(2024, 5, 1))


def test_inspection_passing_every_item_keeps_the_level(union_staff):
    room = MotherRoomFactory(level=Level.HEBEI)

    inspection = inspect(room, actor=union_staff)

    room.refresh_from_db()
    assert (inspection.outcome, inspection.failed_items) == ("kept", [])
    assert (room.status, room.level) == ("approved", "hebei")


def test_one_minor_failure_keeps_the_level(union_staff):
    room = MotherRoomFactory(level=Level.HEBEI)

    inspection = inspect(room, failing=["refrigeration"], actor=union_staff)

    room.refresh_from_db()
    assert (inspection.outcome, inspection.failed_items) == ("kept", ["refrigeration"])
    assert room.level == "hebei"


def test_two_minor_failures_lower_the_level_one_step(union_staff):
    room = MotherRoomFactory(level=Level.HEBEI, recognised_on=date(2022, 5, 6))
    day = TODAY() - timedelta(days=1)

    inspection = inspect(room, failing=["refrigeration", "signage"], day=day, actor=union_staff)

    room.refresh_from_db()
    assert (inspection.outcome, inspection.level_before, inspection.level_after) == (
        "lowered",
        "hebei",
        "tangshan",
    )
    assert (room.status, room.level, room.recognised_on) == ("approved", "tangshan", day)


def test_lowering_a_qianan_level_room_withdraws_it(union_staff):
    room = MotherRoomFactory(level=Level.QIANAN)

    inspection = inspect(room, failing=["refrigeration", "signage"], actor=union_staff)

    room.refresh_from_db()
    assert inspection.outcome == "withdrawn"
    assert (room.status, room.level, room.recognised_on) == ("withdrawn", "", None)


@pytest.mark.parametrize("critical", ["privacy", "hand_washing", "seating"])
def test_a_critical_failure_withdraws_the_recognition(union_staff, critical):
    room = MotherRoomFactory(level=Level.HEBEI)

    inspection = inspect(room, failing=[critical], actor=union_staff)

    room.refresh_from_db()
    assert (inspection.outcome, inspection.failed_items) == ("withdrawn", [critical])
    assert (room.status, room.level) == ("withdrawn", "")


def test_a_measured_area_under_ten_square_metres_withdraws_the_recognition(union_staff):
    room = MotherRoomFactory(level=Level.TANGSHAN)

    inspection = inspect(room, area="9.5", actor=union_staff)

    room.refresh_from_db()
    assert (inspection.outcome, inspection.failed_items) == ("withdrawn", ["area"])
    assert room.status == "withdrawn"


def test_inspection_with_an_unanswered_item_is_refused(union_staff):
    room = MotherRoomFactory()
    results = all_pass()
    del results["privacy"]

    with pytest.raises(WelfareError) as refused:
        services.mother_room_inspect(
            room=room,
            inspected_on=TODAY(),
            measured_area_m2=Decimal("12"),
            results=results,
            actor=union_staff,
        )

    assert list(refused.value.fields) == ["results"]
    assert MotherRoomInspection.objects.count() == 0


def test_a_withdrawn_room_is_not_inspected(union_staff):
    room = MotherRoomFactory(status="withdrawn", level="", recognised_on=None)

    with pytest.raises(WelfareError) as refused:
        inspect(room, actor=union_staff)

    assert refused.value.status_code == 409


def test_a_second_inspection_on_the_same_day_is_refused(union_staff):
    room = MotherRoomFactory()
    inspect(room, actor=union_staff)

    with pytest.raises(WelfareError) as refused:
        inspect(room, actor=union_staff)

    assert list(refused.value.fields) == ["inspected_on"]
    assert MotherRoomInspection.objects.count() == 1


def test_inspection_outcome_is_audited_on_the_room(union_staff):
    room = MotherRoomFactory(level=Level.HEBEI)

    inspect(room, failing=["refrigeration", "signage"], actor=union_staff)

    record = AuditRecord.objects.get(action="mother_room.inspect.lowered")
    assert (record.target_id, record.from_state, record.to_state) == (
        str(room.pk),
        "hebei",
        "tangshan",
    )


def test_a_withdrawn_room_can_be_approved_again(union_staff):
    room = MotherRoomFactory(status="withdrawn", level="", recognised_on=None)

    services.mother_room_approve(
        room=room, level=Level.QIANAN, recognised_on=TODAY(), actor=union_staff
    )

    room.refresh_from_db()
    assert (room.status, room.level) == ("approved", "qianan")
