import pytest

from apps.members.selectors import child_list, member_me, union_list
from tests.members.factories import UnionFactory
from tests.members.helpers import ACTORS

pytestmark = pytest.mark.django_db

CHILDREN_SEEN = {
    "anonymous": set(),
    "parent": {"child"},
    "other_parent": {"other_child"},
    "employer_admin": set(),
    "other_employer_admin": set(),
    "centre_admin": set(),
    "reviewer": set(),
    "union_staff": {"child", "other_child"},
}


@pytest.mark.parametrize("actor", ACTORS, indirect=True)
def test_child_list_shows_each_role_only_its_own_families_children(
    request, actor, child, other_child
):
    expected = {request.getfixturevalue(name) for name in CHILDREN_SEEN[request.node.callspec.id]}

    assert set(child_list(user=actor)) == expected


def test_child_list_shows_a_second_guardian_the_child(child, other_member):
    child.guardianships.create(guardian=other_member, relation="father")

    assert list(child_list(user=other_member.user)) == [child]


@pytest.mark.parametrize("actor", ACTORS, indirect=True)
def test_member_me_is_only_the_parents_own_record(request, actor, member, other_member):
    expected = {"parent": [member], "other_parent": [other_member]}

    assert list(member_me(user=actor)) == expected.get(request.node.callspec.id, [])


@pytest.mark.parametrize("actor", ACTORS, indirect=True)
def test_union_list_shows_active_unions_to_every_signed_in_role(request, actor):
    active = UnionFactory(name="甲工会")
    inactive = UnionFactory(name="乙工会", is_active=False)
    expected = {
        "anonymous": set(),
        "union_staff": {active, inactive},
    }.get(request.node.callspec.id, {active})

    assert set(union_list(user=actor)) == expected


def test_selectors_show_nothing_to_a_deactivated_parent(parent_user, child):
    parent_user.is_active = False
    parent_user.save()

    assert list(child_list(user=parent_user)) == []
    assert list(member_me(user=parent_user)) == []
