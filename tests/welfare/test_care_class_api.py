from datetime import date, timedelta

import pytest
from django.utils import timezone

from apps.welfare import services
from apps.welfare.models import CareClass, CareClassAttendance, CareClassEnrolment
from tests.members.factories import ChildFactory
from tests.welfare.conftest import client_for
from tests.welfare.factories import CareClassFactory, first_area

pytestmark = pytest.mark.django_db

LIST = "/api/v1/care-classes/"


def enrolments_url(care_class) -> str:
    return f"{LIST}{care_class.pk}/enrolments/"


def attendance_url(care_class, session) -> str:
    return f"{LIST}{care_class.pk}/sessions/{session.pk}/attendance/"


@pytest.fixture
def classes(employer, other_employer):
    return {
        "union open": CareClassFactory(name="union open"),
        "union draft": CareClassFactory(name="union draft", status="draft"),
        "own": CareClassFactory(
            name="own", organiser_union=None, organiser_employer=employer, status="draft"
        ),
        "other": CareClassFactory(
            name="other", organiser_union=None, organiser_employer=other_employer
        ),
    }


@pytest.mark.parametrize(
    ("actor", "expected"),
    [
        ("parent", ["other", "union open"]),
        ("employer_admin", ["own"]),
        ("union_staff", ["other", "own", "union draft", "union open"]),
    ],
    indirect=["actor"],
)
def test_class_list_is_scoped_by_role(api_client, classes, actor, expected):
    response = client_for(api_client, actor).get(LIST)

    assert sorted(c["name"] for c in response.json()["results"]) == expected


@pytest.mark.parametrize(
    ("actor", "expected"),
    [("anonymous", 401), ("centre_admin", 403)],
    indirect=["actor"],
)
def test_class_list_is_closed_to_other_roles(api_client, classes, actor, expected):
    assert client_for(api_client, actor).get(LIST).status_code == expected


def test_parent_cannot_see_a_draft_class(api_client, parent, classes):
    response = client_for(api_client, parent).get(f"{LIST}{classes['union draft'].pk}/")

    assert response.status_code == 404


def class_body(**overrides) -> dict:
    return {
        "name": "暑期托管班",
        "kind": "holiday",
        "place": "职工之家",
        "area": first_area().pk,
        "capacity": 25,
        "open": True,
        "sessions": [{"date": "2030-07-15", "starts_at": "08:30", "ends_at": "11:30"}],
        **overrides,
    }


@pytest.mark.parametrize(
    ("actor", "expected"),
    [("anonymous", 401), ("parent", 403), ("employer_admin", 201)],
    indirect=["actor"],
)
def test_who_may_create_a_class(api_client, actor, expected, employer):
    response = client_for(api_client, actor).post(LIST, class_body(), format="json")

    assert response.status_code == expected
    assert CareClass.objects.count() == (1 if expected == 201 else 0)


def test_employer_admin_creates_an_open_class_for_their_employer(
    api_client, employer_admin, employer
):
    response = client_for(api_client, employer_admin).post(LIST, class_body(), format="json")

    body = response.json()
    assert (body["organiser_employer"], body["status"], body["fee"], body["places_left"]) == (
        employer.pk,
        "open",
        "0.00",
        25,
    )
    assert [s["date"] for s in body["sessions"]] == ["2030-07-15"]


def test_a_session_ending_before_it_starts_is_refused(api_client, employer_admin):
    body = class_body(sessions=[{"date": "2030-07-15", "starts_at": "11:30", "ends_at": "08:30"}])

    response = client_for(api_client, employer_admin).post(LIST, body, format="json")

    assert response.status_code == 400
    assert CareClass.objects.count() == 0


def test_parent_enrols_their_own_child(api_client, parent, school_child):
    care_class = CareClassFactory()

    response = client_for(api_client, parent).post(
        enrolments_url(care_class), {"child": school_child.pk}, format="json"
    )

    assert response.status_code == 201
    assert (response.json()["child_name"], response.json()["status"]) == (
        school_child.full_name,
        "enrolled",
    )


def test_parent_cannot_enrol_another_familys_child(api_client, parent, other_parent):
    other_child = ChildFactory(guardian=other_parent.member, birth_date=date(2020, 1, 1))
    care_class = CareClassFactory()

    response = client_for(api_client, parent).post(
        enrolments_url(care_class), {"child": other_child.pk}, format="json"
    )

    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["child"]
    assert CareClassEnrolment.objects.count() == 0


@pytest.mark.parametrize(
    ("actor", "expected"),
    [("anonymous", 401), ("employer_admin", 403), ("union_staff", 403)],
    indirect=["actor"],
)
def test_only_parents_enrol(api_client, actor, expected, school_child):
    care_class = CareClassFactory()

    response = client_for(api_client, actor).post(
        enrolments_url(care_class), {"child": school_child.pk}, format="json"
    )

    assert response.status_code == expected


def test_enrolling_into_a_full_class_is_409_class_full(api_client, parent, school_child):
    care_class = CareClassFactory(capacity=1)
    CareClass.objects.filter(pk=care_class.pk).update(enrolled=1)

    response = client_for(api_client, parent).post(
        enrolments_url(care_class), {"child": school_child.pk}, format="json"
    )

    assert response.status_code == 409
    assert response.json()["code"] == "class_full"


def test_parent_sees_only_their_childrens_enrolments(
    api_client, parent, school_child, other_parent
):
    care_class = CareClassFactory()
    services.care_class_enrol(
        care_class=care_class, child=school_child, guardian=parent.member, actor=parent
    )
    other_child = ChildFactory(guardian=other_parent.member, birth_date=date(2020, 1, 1))
    services.care_class_enrol(
        care_class=care_class, child=other_child, guardian=other_parent.member, actor=other_parent
    )

    response = client_for(api_client, parent).get(enrolments_url(care_class))

    assert [e["child"] for e in response.json()["results"]] == [school_child.pk]


def test_parent_cancels_their_enrolment(api_client, parent, school_child):
    care_class = CareClassFactory()
    enrolment = services.care_class_enrol(
        care_class=care_class, child=school_child, guardian=parent.member, actor=parent
    )

    response = client_for(api_client, parent).post(
        f"{enrolments_url(care_class)}{enrolment.pk}/cancel/"
    )

    care_class.refresh_from_db()
    assert (response.status_code, response.json()["status"]) == (200, "cancelled")
    assert care_class.enrolled == 0


def test_another_parent_cannot_cancel_it(api_client, parent, school_child, other_parent):
    care_class = CareClassFactory()
    enrolment = services.care_class_enrol(
        care_class=care_class, child=school_child, guardian=parent.member, actor=parent
    )

    response = client_for(api_client, other_parent).post(
        f"{enrolments_url(care_class)}{enrolment.pk}/cancel/"
    )

    enrolment.refresh_from_db()
    assert response.status_code == 404
    assert enrolment.status == "enrolled"


@pytest.fixture
def employer_class_with_child(employer, parent, school_child):
    """An employer's class whose session was yesterday, with one child enrolled."""
    care_class = CareClassFactory(
        organiser_union=None,
        organiser_employer=employer,
        first_session=timezone.localdate() + timedelta(days=3),
    )
    enrolment = services.care_class_enrol(
        care_class=care_class, child=school_child, guardian=parent.member, actor=parent
    )
    session = care_class.sessions.get()
    session.date = timezone.localdate() - timedelta(days=1)
    session.save()
    return care_class, session, enrolment


@pytest.mark.parametrize(
    ("actor", "expected"),
    [
        ("anonymous", 401),
        ("parent", 403),
        ("other_employer_admin", 404),
        ("employer_admin", 200),
        ("union_staff", 200),
    ],
    indirect=["actor"],
)
def test_who_may_take_attendance(api_client, actor, expected, employer_class_with_child):
    care_class, session, enrolment = employer_class_with_child

    response = client_for(api_client, actor).put(
        attendance_url(care_class, session),
        {"marks": [{"enrolment": enrolment.pk, "present": True}]},
        format="json",
    )

    assert response.status_code == expected
    assert CareClassAttendance.objects.count() == (1 if expected == 200 else 0)


def test_employer_admin_sees_only_the_family_name_on_the_roll(
    api_client, employer_admin, employer_class_with_child, school_child
):
    care_class, session, enrolment = employer_class_with_child

    response = client_for(api_client, employer_admin).get(attendance_url(care_class, session))

    assert response.json() == [
        {
            "enrolment": enrolment.pk,
            "child_name": school_child.full_name[0] + "*" * (len(school_child.full_name) - 1),
            "present": None,
        }
    ]
    assert school_child.full_name not in response.text


def test_marking_again_overwrites_the_mark(api_client, union_staff, employer_class_with_child):
    care_class, session, enrolment = employer_class_with_child
    client = client_for(api_client, union_staff)
    url = attendance_url(care_class, session)
    client.put(url, {"marks": [{"enrolment": enrolment.pk, "present": True}]}, format="json")

    response = client.put(
        url, {"marks": [{"enrolment": enrolment.pk, "present": False}]}, format="json"
    )

    assert [row["present"] for row in response.json()] == [False]
    assert CareClassAttendance.objects.get().present is False


def test_attendance_for_a_future_session_is_refused(
    api_client, union_staff, employer_class_with_child
):
    care_class, session, enrolment = employer_class_with_child
    session.date = timezone.localdate() + timedelta(days=1)
    session.save()

    response = client_for(api_client, union_staff).put(
        attendance_url(care_class, session),
        {"marks": [{"enrolment": enrolment.pk, "present": True}]},
        format="json",
    )

    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["session"]
    assert CareClassAttendance.objects.count() == 0


def test_attendance_for_a_child_not_enrolled_is_refused(
    api_client, union_staff, employer_class_with_child
):
    care_class, session, _enrolment = employer_class_with_child

    response = client_for(api_client, union_staff).put(
        attendance_url(care_class, session),
        {"marks": [{"enrolment": 999999, "present": True}]},
        format="json",
    )

    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["marks"]


@pytest.mark.parametrize(
    ("actor", "expected"),
    [("anonymous", 401), ("parent", 403), ("employer_admin", 403), ("union_staff", 200)],
    indirect=["actor"],
)
def test_only_union_staff_mark_a_class_recognised(api_client, actor, expected, employer):
    care_class = CareClassFactory(organiser_union=None, organiser_employer=employer)

    response = client_for(api_client, actor).post(
        f"{LIST}{care_class.pk}/recognition/",
        {"recognised_by": "tangshan", "recognised_on": "2023-10-12"},
        format="json",
    )

    care_class.refresh_from_db()
    assert response.status_code == expected
    assert care_class.recognised_by == ("tangshan" if expected == 200 else "")


@pytest.mark.parametrize(
    ("actor", "expected"),
    [("parent", 403), ("other_employer_admin", 404), ("employer_admin", 200)],
    indirect=["actor"],
)
def test_only_the_organiser_or_staff_close_a_class(api_client, actor, expected, employer):
    care_class = CareClassFactory(organiser_union=None, organiser_employer=employer)

    response = client_for(api_client, actor).post(f"{LIST}{care_class.pk}/close/")

    care_class.refresh_from_db()
    assert response.status_code == expected
    assert care_class.status == ("closed" if expected == 200 else "open")


@pytest.mark.parametrize("rows", [1, 30])
def test_class_list_query_count_does_not_grow_with_rows(
    api_client, parent, django_assert_max_num_queries, rows
):
    CareClassFactory.create_batch(rows)
    client = client_for(api_client, parent)

    with django_assert_max_num_queries(3):
        response = client.get(LIST, {"page_size": 50})

    assert response.json()["count"] == rows


@pytest.mark.parametrize("rows", [1, 30])
def test_enrolment_list_query_count_does_not_grow_with_rows(
    api_client, union_staff, django_assert_max_num_queries, rows
):
    care_class = CareClassFactory(capacity=30)
    for _ in range(rows):
        child = ChildFactory(birth_date=date(2020, 1, 1))
        CareClassEnrolment.objects.create(
            care_class=care_class, child=child, guardian=child.guardians.get()
        )
    client = client_for(api_client, union_staff)

    with django_assert_max_num_queries(4):
        response = client.get(enrolments_url(care_class), {"page_size": 50})

    assert response.json()["count"] == rows


@pytest.mark.django_db
@pytest.mark.parametrize("status", ["pending", "suspended"])
def test_an_employer_that_is_not_approved_cannot_run_care_classes(status):
    from rest_framework.test import APIClient

    from tests.employers.factories import EmployerAdminFactory

    link = EmployerAdminFactory(employer__status=status)
    client = APIClient()
    client.force_authenticate(link.user)

    response = client.post(LIST, class_body(), format="json")

    assert response.status_code == 403
    assert CareClass.objects.count() == 0
