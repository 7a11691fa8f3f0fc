import pytest

from apps.core.models import AuditRecord
from apps.members.models import Union
from apps.members.services import MemberError, union_create, union_update
from tests.members.factories import UnionFactory

pytestmark = pytest.mark.django_db


def test_union_create_stores_the_union_and_audits_it(union_staff):
    city = union_create(name=" 迁安市总工会 ", kind=Union.Kind.CITY_FEDERATION, actor=union_staff)

    city.refresh_from_db()
    assert (city.name, city.kind, city.parent, city.is_active) == (
        "迁安市总工会",
        "city_federation",
        None,
        True,
    )
    record = AuditRecord.objects.get(action="union.create")
    assert (record.actor, record.target_id, record.to_state) == (
        union_staff,
        str(city.pk),
        "city_federation",
    )


def test_union_create_refuses_a_parent_for_a_city_federation(union_staff):
    parent = UnionFactory(kind=Union.Kind.CITY_FEDERATION)

    with pytest.raises(MemberError) as caught:
        union_create(
            name="第二总工会", kind=Union.Kind.CITY_FEDERATION, parent=parent, actor=union_staff
        )

    assert list(caught.value.fields) == ["parent"]
    assert Union.objects.count() == 1
    assert not AuditRecord.objects.exists()


def test_union_create_refuses_a_duplicate_name(union_staff):
    UnionFactory(name="钢铁工会")

    with pytest.raises(MemberError) as caught:
        union_create(name="钢铁工会", kind=Union.Kind.GRASSROOTS, actor=union_staff)

    assert list(caught.value.fields) == ["name"]
    assert Union.objects.count() == 1


def test_union_update_refuses_a_parent_below_the_union_itself(union_staff):
    top = UnionFactory(kind=Union.Kind.INDUSTRY_FEDERATION)
    below = UnionFactory(parent=top)

    with pytest.raises(MemberError) as caught:
        union_update(union=top, parent=below, actor=union_staff)

    assert list(caught.value.fields) == ["parent"]
    top.refresh_from_db()
    assert top.parent is None
    assert not AuditRecord.objects.exists()


def test_union_update_audits_the_names_of_changed_fields(union_staff):
    union = UnionFactory(name="旧名")

    union_update(union=union, name="新名", is_active=False, actor=union_staff)

    union.refresh_from_db()
    assert (union.name, union.is_active) == ("新名", False)
    record = AuditRecord.objects.get(action="union.update")
    assert (record.from_state, record.to_state) == ("active", "inactive")
    assert record.changes == {"fields": ["is_active", "name"]}


def test_union_update_without_changes_writes_no_audit(union_staff):
    union = UnionFactory(name="不变")

    union_update(union=union, name="不变", actor=union_staff)

    assert not AuditRecord.objects.exists()
