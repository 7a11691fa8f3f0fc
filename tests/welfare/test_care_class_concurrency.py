import threading
from datetime import date

import pytest
from django.db import connection

from apps.core.models import Area
from apps.members.models import Member
from apps.welfare import services
from apps.welfare.errors import WelfareError
from apps.welfare.models import CareClass, CareClassEnrolment
from tests.members.factories import ChildFactory, MemberFactory
from tests.welfare.factories import CareClassFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def area(transactional_db):
    # An earlier transactional test's flush may have emptied the areas the migration loaded.
    return Area.objects.get_or_create(
        code="JD01", defaults={"name": "永顺街道", "kind": "subdistrict", "sort_order": 1}
    )[0]


def race(calls) -> list[str]:
    """Run the calls at the same moment, each in its own thread and connection."""
    barrier = threading.Barrier(len(calls))
    outcomes: list[str] = []
    lock = threading.Lock()

    def run(call):
        try:
            barrier.wait()
            call()
            outcome = "enrolled"
        except WelfareError as error:
            outcome = error.code
        finally:
            connection.close()
        with lock:
            outcomes.append(outcome)

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return sorted(outcomes)


def enrolment_call(care_class, child, member):
    return lambda: services.care_class_enrol(
        care_class=care_class, child=child, guardian=member, actor=member.user
    )


def test_twenty_children_racing_for_eight_places_enrol_exactly_eight():
    care_class = CareClassFactory(capacity=8, first_session=date(2030, 7, 15))
    families = [MemberFactory(membership=Member.Membership.VERIFIED) for _ in range(20)]
    calls = [
        enrolment_call(
            care_class, ChildFactory(guardian=member, birth_date=date(2021, 1, 1)), member
        )
        for member in families
    ]

    outcomes = race(calls)

    care_class = CareClass.objects.get(pk=care_class.pk)
    assert outcomes == ["class_full"] * 12 + ["enrolled"] * 8
    assert care_class.enrolled == 8
    assert CareClassEnrolment.objects.filter(care_class=care_class, status="enrolled").count() == 8


def test_one_child_enrolled_twice_at_once_takes_one_place():
    care_class = CareClassFactory(capacity=8, first_session=date(2030, 7, 15))
    member = MemberFactory(membership=Member.Membership.VERIFIED)
    child = ChildFactory(guardian=member, birth_date=date(2021, 1, 1))

    outcomes = race([enrolment_call(care_class, child, member) for _ in range(6)])

    care_class = CareClass.objects.get(pk=care_class.pk)
    assert outcomes == ["already_enrolled"] * 5 + ["enrolled"]
    assert (care_class.enrolled, CareClassEnrolment.objects.count()) == (1, 1)
