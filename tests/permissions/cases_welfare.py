"""Authorisation matrix cases for the welfare API (see tests/permissions/matrix.py).

Side A is employer A's / family A's object, side B employer B's / family B's. The welfare
objects are added to every world through WORLD_EXTENSIONS; statuses of state-changing
endpoints follow the roles' fixed order (anonymous, parent, other_parent, employer_admin,
other_employer_admin, centre_admin, union_staff, reviewer).
"""

from datetime import time, timedelta
from types import SimpleNamespace

from django.utils import timezone

from apps.members.models import Member
from apps.welfare.checklist import load_checklist
from apps.welfare.models import CareClassEnrolment
from tests.employers.factories import EmployerFactory
from tests.members.factories import ChildFactory, UnionFactory
from tests.permissions.matrix import Case, other_only, own_only, same
from tests.permissions.world import WORLD_EXTENSIONS
from tests.welfare.conftest import years_before
from tests.welfare.factories import (
    CareClassFactory,
    CollectiveContractFactory,
    MotherRoomFactory,
    first_area,
)

SIDES = ("A", "B")


def _employer(world, side):
    return world.employer_a if side == "A" else world.employer_b


def _build(world) -> SimpleNamespace:
    today = timezone.localdate()
    welfare = SimpleNamespace(union=UnionFactory(), third_employer=EmployerFactory())
    welfare.public_room = MotherRoomFactory()
    welfare.enterprise_room = MotherRoomFactory(version="enterprise")
    proposed = {"status": "proposed", "level": "", "recognised_on": None, "host_union": None}
    for name, extra in (("to_approve", proposed), ("to_refuse", proposed), ("approved", {})):
        owned = {"host_union": None, **extra}
        rooms = {
            side: MotherRoomFactory(host_employer=_employer(world, side), **owned) for side in SIDES
        }
        setattr(welfare, f"rooms_{name}", rooms)
    welfare.open_class = {
        side: CareClassFactory(organiser_union=None, organiser_employer=_employer(world, side))
        for side in SIDES
    }
    welfare.draft_class = {
        side: CareClassFactory(
            organiser_union=None, organiser_employer=_employer(world, side), status="draft"
        )
        for side in SIDES
    }
    welfare.school_child = {
        "A": ChildFactory(guardian=world.member_a, birth_date=years_before(today, 8)),
        "B": ChildFactory(guardian=world.member_b, birth_date=years_before(today, 8)),
    }
    welfare.unenrolled_child_a = ChildFactory(
        guardian=world.member_a, birth_date=years_before(today, 10)
    )
    welfare.enrolment = {}
    welfare.session = {}
    for side, member in (("A", world.member_a), ("B", world.member_b)):
        care_class = welfare.open_class[side]
        welfare.enrolment[side] = CareClassEnrolment.objects.create(
            care_class=care_class, child=welfare.school_child[side], guardian=member
        )
        welfare.session[side] = care_class.sessions.create(
            date=today - timedelta(days=1), starts_at=time(16, 30), ends_at=time(18, 30)
        )
    welfare.contract = {
        side: CollectiveContractFactory(employer=_employer(world, side)) for side in SIDES
    }
    return welfare


if not any(name == "welfare" for name, _hook in WORLD_EXTENSIONS):
    WORLD_EXTENSIONS.append(("welfare", _build))


def roles(*, anonymous=401, parents=403, employers=403, centre=403, staff=403, reviewer=403):
    return {
        "anonymous": anonymous,
        "parent": parents,
        "other_parent": parents,
        "employer_admin": employers,
        "other_employer_admin": employers,
        "centre_admin": centre,
        "union_staff": staff,
        "reviewer": reviewer,
    }


def scoped(*, employers, staff, parents=403, other_employers=None):
    """Employer A's admin owns side A, employer B's admin side B."""
    expect = roles(staff=staff, parents=parents)
    expect["employer_admin"] = employers
    expect["other_employer_admin"] = other_employers or (employers[1], employers[0])
    return expect


def room_body(world, side) -> dict:
    return {
        "name": "新建小屋",
        "version": "public",
        "address": "迁安市兴安街道1号",
        "area": first_area().pk,
        "floor_area_m2": "12.0",
        "latitude": "40.000000",
        "longitude": "118.700000",
        "opening_hours": "每日 8:00–20:00",
        "functions": ["feeding"],
        "host_union": world.welfare.union.pk,
    }


def class_body(world, side) -> dict:
    return {
        "name": "暑期托管班",
        "kind": "holiday",
        "place": "职工之家",
        "area": first_area().pk,
        "capacity": 20,
        "organiser_union": world.welfare.union.pk,
    }


def enrol_body(world, side) -> dict:
    # Family A are verified union members in this case's world only.
    world.member_a.membership = Member.Membership.VERIFIED
    world.member_a.save(update_fields=["membership"])
    return {"child": world.welfare.unenrolled_child_a.pk}


def contract_body(world, side) -> dict:
    # A past contract, so it overlaps none of the world's current ones.
    start = timezone.localdate() - timedelta(days=1500)
    return {
        "employer": world.welfare.third_employer.pk,
        "signed_on": start.isoformat(),
        "starts_on": start.isoformat(),
        "ends_on": (start + timedelta(days=1000)).isoformat(),
    }


def inspection_body(world, side) -> dict:
    return {
        "inspected_on": timezone.localdate().isoformat(),
        "measured_area_m2": "12.0",
        "results": {item.code: True for item in load_checklist().ticked_items},
    }


def attendance_body(world, side) -> dict:
    return {"marks": [{"enrolment": world.welfare.enrolment[side].pk, "present": True}]}


def room_kwargs(attribute):
    return lambda world, side: {"pk": getattr(world.welfare, attribute)[side].pk}


def open_class(world, side) -> dict:
    return {"pk": world.welfare.open_class[side].pk}


def visible_or_draft(world, side) -> dict:
    """Side A an open class, side B a draft one (invisible to parents)."""
    care_class = world.welfare.open_class["A"] if side == "A" else world.welfare.draft_class["B"]
    return {"pk": care_class.pk}


def draft_class(world, side) -> dict:
    return {"pk": world.welfare.draft_class[side].pk}


def enrolment_kwargs(world, side) -> dict:
    enrolment = world.welfare.enrolment[side]
    return {"pk": enrolment.care_class_id, "enrolment_pk": enrolment.pk}


def session_kwargs(world, side) -> dict:
    session = world.welfare.session[side]
    return {"pk": session.care_class_id, "session_pk": session.pk}


def contract_kwargs(world, side) -> dict:
    return {"pk": world.welfare.contract[side].pk}


def public_room(world, side) -> dict:
    room = world.welfare.public_room if side == "A" else world.welfare.enterprise_room
    return {"pk": room.pk}


EVERYONE_200 = dict.fromkeys(roles(), 200)
CLASS_READERS = roles(parents=200, employers=200, staff=200)

CASES = [
    Case("api-mother-room-list", "get", expect=EVERYONE_200, label="public"),
    Case(
        "api-mother-room-detail",
        "get",
        kwargs=public_room,
        expect=dict.fromkeys(roles(), own_only()),
        label="public room A, enterprise room B",
    ),
    Case("api-mother-room-proposals", "get", expect=roles(employers=200, staff=200)),
    Case(
        "api-mother-room-proposals",
        "post",
        data=room_body,
        expect=roles(employers=201, staff=201),
    ),
    Case(
        "api-mother-room-approve",
        "post",
        kwargs=room_kwargs("rooms_to_approve"),
        expect=roles(staff=200),
    ),
    Case(
        "api-mother-room-refuse",
        "post",
        kwargs=room_kwargs("rooms_to_refuse"),
        data=lambda world, side: {"reason": "面积不足"},
        expect=roles(staff=200),
    ),
    Case(
        "api-mother-room-level",
        "post",
        kwargs=room_kwargs("rooms_approved"),
        data=lambda world, side: {"level": "hebei", "recognised_on": "2024-05-01"},
        expect=roles(staff=200),
    ),
    Case(
        "api-mother-room-inspections",
        "get",
        kwargs=room_kwargs("rooms_approved"),
        expect=roles(staff=200),
    ),
    Case(
        "api-mother-room-inspections",
        "post",
        kwargs=room_kwargs("rooms_approved"),
        data=inspection_body,
        expect=roles(staff=201),
    ),
    Case("api-care-class-list", "get", expect=CLASS_READERS),
    Case(
        "api-care-class-list",
        "post",
        data=class_body,
        expect=roles(employers=201, staff=201),
    ),
    Case(
        "api-care-class-detail",
        "get",
        kwargs=visible_or_draft,
        expect=scoped(employers=own_only(), staff=same(200), parents=own_only()),
        label="open class A, draft class B",
    ),
    Case(
        "api-care-class-open",
        "post",
        kwargs=draft_class,
        expect=scoped(employers=own_only(), staff=same(200)),
    ),
    Case(
        "api-care-class-close",
        "post",
        kwargs=open_class,
        expect=scoped(employers=own_only(), staff=same(200)),
    ),
    Case(
        "api-care-class-recognition",
        "post",
        kwargs=open_class,
        data=lambda world, side: {"recognised_by": "tangshan", "recognised_on": "2023-10-12"},
        expect=roles(staff=200),
    ),
    Case(
        "api-care-class-enrolments",
        "get",
        kwargs=visible_or_draft,
        expect=scoped(employers=own_only(), staff=same(200), parents=own_only()),
        label="open class A, draft class B",
    ),
    Case(
        "api-care-class-enrolments",
        "post",
        kwargs=visible_or_draft,
        data=enrol_body,
        expect={
            **roles(),
            "parent": own_only(201),
            "other_parent": own_only(400),  # family A's child is not theirs
        },
        label="family A's school-age child",
    ),
    Case(
        "api-care-class-enrolment-cancel",
        "post",
        kwargs=enrolment_kwargs,
        expect={
            **roles(),
            "parent": own_only(200),
            "other_parent": other_only(200),
            # Both enrolments are cancelled by then: a keeper in scope gets 409, not 404.
            "employer_admin": own_only(409),
            "other_employer_admin": other_only(409),
            "union_staff": same(409),
        },
        notes="parents cancel first in the roles' order",
    ),
    Case(
        "api-care-class-attendance",
        "get",
        kwargs=session_kwargs,
        expect=scoped(employers=own_only(), staff=same(200)),
    ),
    Case(
        "api-care-class-attendance",
        "put",
        kwargs=session_kwargs,
        data=attendance_body,
        expect=scoped(employers=own_only(), staff=same(200)),
    ),
    Case(
        "api-collective-contract-list",
        "get",
        expect=roles(employers=200, staff=200),
    ),
    Case(
        "api-collective-contract-list",
        "post",
        data=contract_body,
        expect=roles(employers=201, staff=201),
    ),
    Case(
        "api-collective-contract-detail",
        "get",
        kwargs=contract_kwargs,
        expect=scoped(employers=own_only(), staff=same(200)),
    ),
    Case(
        "api-collective-contract-file",
        "get",
        kwargs=contract_kwargs,
        expect=scoped(employers=same(404), staff=same(404)),
        label="no file uploaded: 404 in scope and out",
    ),
    Case(
        "api-collective-contract-file",
        "post",
        kwargs=contract_kwargs,
        expect=scoped(employers=own_only(415), staff=same(415)),
        label="a JSON body: 415 in scope, 404 out of scope",
    ),
    Case("api-collective-contract-expiring", "get", expect=roles(staff=200)),
    Case("api-collective-contract-missing", "get", expect=roles(staff=200)),
    Case("api-statutory-floor-list", "get", expect=roles(employers=200, staff=200)),
]
