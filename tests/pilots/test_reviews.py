"""Reviewers: who may be assigned, what they may see and score, and locked submitted sheets."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import Role
from apps.core.models import AuditRecord
from apps.employers.models import Employment
from apps.pilots import services
from apps.pilots.errors import PilotError
from apps.pilots.models import ItemScore, ReviewerAssignment
from tests.accounts.factories import UserFactory
from tests.employers.factories import EmployerAdminFactory, EmploymentFactory
from tests.members.factories import MemberFactory
from tests.pilots.factories import (
    apply,
    assign,
    items_by_title,
    open_round,
    reviewer,
    score_sheet,
    scoring_round,
    sheet,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def application(employer):
    return apply(scoring_round(), employer)


def _refused_assignment(application, person, code):
    with pytest.raises(PilotError) as refusal:
        services.assignment_create(application=application, reviewer=person, actor=None)

    assert refusal.value.code == code
    assert not ReviewerAssignment.objects.filter(application=application).exists()


def test_a_reviewer_who_administers_the_unit_is_refused(application, employer):
    own_admin = reviewer()
    EmployerAdminFactory(user=own_admin, employer=employer)

    _refused_assignment(application, own_admin, "conflict_of_interest")


@pytest.mark.parametrize("status", [Employment.Status.ACTIVE, Employment.Status.PENDING, "left"])
def test_a_reviewer_who_works_or_worked_at_the_unit_is_refused(application, employer, status):
    member = MemberFactory(user=reviewer())
    EmploymentFactory(member=member, employer=employer, status=status)

    _refused_assignment(application, member.user, "conflict_of_interest")


def test_a_reviewer_working_elsewhere_is_assigned(application, other_employer):
    member = MemberFactory(user=reviewer())
    EmploymentFactory(member=member, employer=other_employer)

    assignment = services.assignment_create(
        application=application, reviewer=member.user, actor=None
    )

    assert assignment.reviewer == member.user
    assert AuditRecord.objects.filter(action="pilot_assignment.create").count() == 1


def test_an_account_that_is_not_a_reviewer_is_refused(application):
    _refused_assignment(application, UserFactory(role=Role.UNION_STAFF), "not_a_reviewer")


def test_the_same_reviewer_is_not_assigned_twice(application):
    person = reviewer()
    services.assignment_create(application=application, reviewer=person, actor=None)

    with pytest.raises(PilotError):
        services.assignment_create(application=application, reviewer=person, actor=None)

    assert ReviewerAssignment.objects.filter(application=application).count() == 1


def test_self_review_is_refused_through_the_api(application, employer, api_client, union_staff):
    own_admin = reviewer()
    EmployerAdminFactory(user=own_admin, employer=employer)
    api_client.force_authenticate(union_staff)

    response = api_client.post(
        reverse("api-pilot-application-assignments", args=[application.pk]),
        {"reviewer": own_admin.pk},
        format="json",
    )

    assert response.status_code == 400
    assert response.json()["code"] == "conflict_of_interest"
    assert list(response.json()["fields"]) == ["reviewer"]
    assert not ReviewerAssignment.objects.exists()


def test_self_review_is_refused_through_the_admin(application, employer, client, union_staff):
    own_admin = reviewer()
    EmployerAdminFactory(user=own_admin, employer=employer)
    client.force_login(union_staff)

    response = client.post(
        reverse("admin:pilots_reviewerassignment_add"),
        {"application": application.pk, "reviewer": own_admin.pk},
    )

    assert response.status_code == 200
    assert "cannot review it" in response.content.decode()
    assert not ReviewerAssignment.objects.exists()


@pytest.fixture
def assignment(application):
    return assign(application)


def test_a_reviewer_saves_part_of_a_sheet_and_changes_it_before_submitting(assignment):
    items = items_by_title(assignment.application.round)
    person = assignment.reviewer
    services.scores_save(
        assignment=assignment, actor=person, scores=[{"item": items["I1"].pk, "score": "7.5"}]
    )

    services.scores_save(
        assignment=assignment,
        actor=person,
        scores=[{"item": items["I1"].pk, "score": "8", "comment": "场地宽敞"}],
        comment="总体良好",
    )

    assert list(assignment.scores.values_list("item__title", "score", "comment")) == [
        ("I1", Decimal("8.00"), "场地宽敞")
    ]
    assert ReviewerAssignment.objects.get(pk=assignment.pk).comment == "总体良好"


@pytest.mark.parametrize(
    ("score", "message"),
    [
        ("10.5", "Score “I1” from 0 to 10."),
        ("-1", "Score “I1” from 0 to 10."),
        ("7.125", "Use at most two decimal places."),
        ("many", "Enter a number."),
    ],
)
def test_a_score_outside_zero_to_the_maximum_is_refused(assignment, score, message):
    item = items_by_title(assignment.application.round)["I1"]

    with pytest.raises(PilotError) as refusal:
        services.scores_save(
            assignment=assignment,
            actor=assignment.reviewer,
            scores=[{"item": item.pk, "score": score}],
        )

    assert refusal.value.fields == {f"scores.{item.pk}": [message]}
    assert not ItemScore.objects.exists()


def test_scoring_an_item_of_another_round_is_refused(assignment):
    foreign = items_by_title(scoring_round())["I1"]

    with pytest.raises(PilotError):
        services.scores_save(
            assignment=assignment,
            actor=assignment.reviewer,
            scores=[{"item": foreign.pk, "score": 1}],
        )

    assert not ItemScore.objects.exists()


def test_scoring_is_refused_before_scoring_opens(employer):
    assignment = assign(apply(open_round(simple=True), employer))
    item = items_by_title(assignment.application.round)["I1"]

    with pytest.raises(PilotError) as refusal:
        services.scores_save(
            assignment=assignment, actor=assignment.reviewer, scores=[{"item": item.pk, "score": 5}]
        )

    assert refusal.value.code == "invalid_state"
    assert not ItemScore.objects.exists()


def test_submitting_an_incomplete_sheet_is_refused_naming_the_items_left(assignment):
    score_sheet(assignment, {"I1": 8, "S1": 7, "A1": 8}, submit=False)

    with pytest.raises(PilotError) as refusal:
        services.assignment_submit(assignment=assignment, actor=assignment.reviewer)

    assert refusal.value.fields == {
        "scores": ["Score every item before submitting; still to score: M1、M2."]
    }
    assert ReviewerAssignment.objects.get(pk=assignment.pk).submitted_at is None


@pytest.fixture
def submitted(assignment):
    score_sheet(assignment, sheet(8, 7, 8, 7, 4), submit=False)
    return services.assignment_submit(assignment=assignment, actor=assignment.reviewer)


def _sheet_rows(assignment):
    return list(
        ItemScore.objects.filter(assignment=assignment).values_list("item_id", "score", "comment")
    )


def test_a_submitted_sheet_cannot_be_changed_through_the_service(submitted):
    before = _sheet_rows(submitted)
    item = items_by_title(submitted.application.round)["I1"]

    with pytest.raises(PilotError) as refusal:
        services.scores_save(
            assignment=submitted, actor=submitted.reviewer, scores=[{"item": item.pk, "score": 1}]
        )

    assert (refusal.value.code, refusal.value.status_code) == ("sheet_submitted", 409)
    assert _sheet_rows(submitted) == before


def test_a_submitted_sheet_cannot_be_submitted_again(submitted):
    submitted_at = submitted.submitted_at

    with pytest.raises(PilotError):
        services.assignment_submit(assignment=submitted, actor=submitted.reviewer)

    assert ReviewerAssignment.objects.get(pk=submitted.pk).submitted_at == submitted_at


def test_a_submitted_sheet_cannot_be_changed_through_the_api(submitted, api_client):
    before = _sheet_rows(submitted)
    item = items_by_title(submitted.application.round)["I1"]
    api_client.force_authenticate(submitted.reviewer)

    response = api_client.put(
        reverse("api-pilot-assignment-scores", args=[submitted.pk]),
        {"scores": [{"item": item.pk, "score": "1"}]},
        format="json",
    )

    assert response.status_code == 409
    assert _sheet_rows(submitted) == before


def test_a_submitted_sheet_cannot_be_changed_through_the_page(submitted, client):
    before = _sheet_rows(submitted)
    item = items_by_title(submitted.application.round)["I1"]
    client.force_login(submitted.reviewer)

    response = client.post(
        reverse("pilots:reviewer-assignment", args=[submitted.pk]), {f"score_{item.pk}": "1"}
    )

    assert response.status_code == 200
    assert "this sheet is locked" in response.content.decode()
    assert _sheet_rows(submitted) == before


def test_a_submitted_sheet_cannot_be_changed_even_in_the_database(submitted):
    before = _sheet_rows(submitted)

    for write in (
        lambda: ItemScore.objects.filter(assignment=submitted).update(score=0),
        lambda: ItemScore.objects.filter(assignment=submitted).delete(),
        lambda: ReviewerAssignment.objects.filter(pk=submitted.pk).update(submitted_at=None),
    ):
        with pytest.raises(IntegrityError, match="locked"), transaction.atomic():
            write()

    assert _sheet_rows(submitted) == before


def test_a_submitted_sheet_cannot_be_removed(submitted):
    with pytest.raises(PilotError):
        services.assignment_remove(assignment=submitted, actor=None)

    assert ReviewerAssignment.objects.filter(pk=submitted.pk).exists()


@pytest.fixture
def two_units(employer, other_employer):
    pilot_round = scoring_round()
    mine, theirs = apply(pilot_round, employer), apply(pilot_round, other_employer)
    person = reviewer()
    return assign(mine, person), assign(theirs), theirs


def test_a_reviewer_cannot_read_a_unit_not_assigned_to_them(two_units, api_client):
    own, others, theirs = two_units
    api_client.force_authenticate(own.reviewer)

    assert (
        api_client.get(reverse("api-pilot-application-detail", args=[theirs.pk])).status_code == 404
    )
    assert (
        api_client.get(reverse("api-pilot-assignment-detail", args=[others.pk])).status_code == 404
    )
    assert (
        api_client.get(reverse("api-pilot-application-evidence", args=[theirs.pk])).status_code
        == 404
    )
    listed = api_client.get(reverse("api-pilot-round-applications", args=[theirs.round_id])).json()
    assert [row["id"] for row in listed["results"]] == [own.application_id]


def test_a_reviewer_cannot_score_a_unit_not_assigned_to_them(two_units, api_client, client):
    own, others, theirs = two_units
    item = items_by_title(theirs.round)["I1"]
    api_client.force_authenticate(own.reviewer)
    client.force_login(own.reviewer)

    api = api_client.put(
        reverse("api-pilot-assignment-scores", args=[others.pk]),
        {"scores": [{"item": item.pk, "score": "5"}]},
        format="json",
    )
    page = client.post(
        reverse("pilots:reviewer-assignment", args=[others.pk]), {f"score_{item.pk}": "5"}
    )
    submit = api_client.post(reverse("api-pilot-assignment-submit", args=[others.pk]))

    assert (api.status_code, page.status_code, submit.status_code) == (404, 404, 404)
    assert not ItemScore.objects.exists()
    assert ReviewerAssignment.objects.get(pk=others.pk).submitted_at is None


def test_a_reviewer_cannot_score_through_a_service_call_on_someone_elses_sheet(two_units):
    own, others, theirs = two_units
    item = items_by_title(theirs.round)["I1"]

    with pytest.raises(PilotError) as refusal:
        services.scores_save(
            assignment=others, actor=own.reviewer, scores=[{"item": item.pk, "score": 5}]
        )

    assert refusal.value.status_code == 403
    assert not ItemScore.objects.exists()


def test_union_staff_remove_an_unsubmitted_assignment(assignment, api_client, union_staff):
    api_client.force_authenticate(union_staff)

    response = api_client.delete(reverse("api-pilot-assignment-detail", args=[assignment.pk]))

    assert response.status_code == 204
    assert not ReviewerAssignment.objects.exists()
    assert AuditRecord.objects.filter(action="pilot_assignment.remove").count() == 1


def test_the_reviewer_is_told_of_a_new_assignment_in_their_language(application):
    person = reviewer()  # the portal's language, zh-hans, whatever the request's

    services.assignment_create(application=application, reviewer=person, actor=None)

    assert list(person.notices.values_list("title", flat=True)) == ["已为您分配一家试点评分单位"]


def test_submitting_records_the_time_and_an_audit_record(assignment):
    score_sheet(assignment, sheet(8, 7, 8, 7, 4), submit=False)
    before = timezone.now()

    submitted = services.assignment_submit(assignment=assignment, actor=assignment.reviewer)

    assert submitted.submitted_at >= before
    assert AuditRecord.objects.filter(action="pilot_assignment.submit").count() == 1
