"""The pilots API end to end, what a unit may see before and after publication, and scoping."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import Role
from apps.employers.models import Programme
from apps.pilots import services
from apps.pilots.models import Application, EvaluationRound, Level, UnitResult
from apps.pilots.tasks import evaluate_round
from tests.accounts.factories import UserFactory
from tests.pilots.factories import (
    SIMPLE_RUBRIC,
    apply,
    assign,
    items_by_title,
    make_round,
    open_round,
    reviewer,
    scored_unit,
    scoring_round,
    sheet,
)

pytestmark = pytest.mark.django_db


def runs_programme(employer) -> Programme:
    return Programme.objects.create(
        name=f"{employer.name}爱心托育",
        delivery_model=Programme.DeliveryModel.OWN_CENTRE,
        lead_employer=employer,
        parent_share_percent=50,
        start_date=date(2025, 1, 1),
        status=Programme.Status.APPROVED,
    )


def _client(api_client, user):
    api_client.force_authenticate(user)
    return api_client


def test_a_round_runs_from_creation_to_publicity_through_the_api(
    api_client, union_staff, unit_admin, employer, monkeypatch, django_capture_on_commit_callbacks
):
    # Evaluation runs in this process instead of on a worker (the worker test covers that).
    monkeypatch.setattr(
        evaluate_round, "apply_async", lambda args, task_id: evaluate_round.run(*args)
    )
    runs_programme(employer)
    today = timezone.localdate()
    staff = _client(api_client, union_staff)
    created = staff.post(
        reverse("api-pilot-round-list"),
        {
            "year": 2031,
            "level": "tangshan",
            "places": 1,
            "applications_open_on": today - timedelta(1),
            "applications_close_on": today + timedelta(1),
            "scoring_opens_on": today + timedelta(2),
            "scoring_closes_on": today + timedelta(9),
        },
        format="json",
    )
    assert created.status_code == 201
    pk = created.json()["id"]
    assert sum(len(d["items"]) for d in created.json()["dimensions"]) == 20
    rubric = staff.put(
        reverse("api-pilot-round-rubric", args=[pk]), {"dimensions": SIMPLE_RUBRIC}, format="json"
    )
    assert rubric.status_code == 200
    assert (
        staff.post(reverse("api-pilot-round-open-applications", args=[pk])).json()["status"]
        == "open"
    )

    api_client.force_authenticate(unit_admin)
    applied = api_client.post(
        reverse("api-pilot-round-applications", args=[pk]), {"statement": "职工托育"}, format="json"
    )
    assert applied.status_code == 201
    application = applied.json()["id"]

    api_client.force_authenticate(union_staff)
    people = [reviewer() for _ in range(3)]
    for person in people:
        response = api_client.post(
            reverse("api-pilot-application-assignments", args=[application]),
            {"reviewer": person.pk},
            format="json",
        )
        assert response.status_code == 201
    opened = api_client.post(reverse("api-pilot-round-open-scoring", args=[pk])).json()
    assert (opened["status"], opened["rubric_frozen"]) == ("scoring", True)

    items = items_by_title(EvaluationRound.objects.get(pk=pk))
    for person, scores in zip(
        people, [sheet(8, 7, 9, 6, 4), sheet(9, 8, 8, 7, 5), sheet(7, 6, 7, 8, 3)], strict=True
    ):
        api_client.force_authenticate(person)
        sheet_id = api_client.get(reverse("api-pilot-assignment-list")).json()["results"][0]["id"]
        saved = api_client.put(
            reverse("api-pilot-assignment-scores", args=[sheet_id]),
            {"scores": [{"item": items[t].pk, "score": str(v)} for t, v in scores.items()]},
            format="json",
        )
        assert saved.status_code == 200
        assert (
            api_client.post(reverse("api-pilot-assignment-submit", args=[sheet_id])).status_code
            == 200
        )

    api_client.force_authenticate(union_staff)
    with django_capture_on_commit_callbacks(execute=True):
        queued = api_client.post(reverse("api-pilot-round-evaluate", args=[pk]))
    assert queued.status_code == 202
    results = api_client.get(reverse("api-pilot-round-results", args=[pk])).json()["results"]
    assert [(r["rank"], r["total"], r["recommended"]) for r in results] == [(1, "75.50", True)]

    started = api_client.post(
        reverse("api-pilot-round-start-publicity", args=[pk]), {}, format="json"
    )
    assert started.json()["status"] == "publicity"
    refused = api_client.post(reverse("api-pilot-round-publish", args=[pk]))
    assert (refused.status_code, refused.json()["code"]) == (409, "publicity_not_over")


@pytest.fixture
def evaluated_unit(employer):
    pilot_round = scoring_round(places=1, level=Level.TANGSHAN)
    application = scored_unit(
        pilot_round,
        [sheet(8, 7, 9, 6, 4), sheet(9, 8, 8, 7, 5), sheet(7, 6, 7, 8, 3)],
        employer=employer,
    )
    services.round_evaluate(round_id=pilot_round.pk)
    return application


def _names(application) -> list[str]:
    return [a.reviewer.full_name for a in application.assignments.select_related("reviewer")]


def test_a_unit_sees_neither_reviewers_names_nor_scores_before_publication(
    evaluated_unit, api_client, unit_admin
):
    api_client.force_authenticate(unit_admin)

    detail = api_client.get(reverse("api-pilot-application-detail", args=[evaluated_unit.pk]))
    results = api_client.get(reverse("api-pilot-round-results", args=[evaluated_unit.round_id]))
    sheets = api_client.get(reverse("api-pilot-assignment-list"))

    assert detail.status_code == 200
    assert (detail.json()["result"], detail.json()["reviews"]) == (None, [])
    assert not any(name in detail.content.decode() for name in _names(evaluated_unit))
    assert "75.5" not in detail.content.decode()
    assert results.status_code == 404
    assert sheets.status_code == 403


def test_a_unit_sees_neither_reviewers_names_nor_scores_during_publicity(
    evaluated_unit, api_client, unit_admin
):
    today = timezone.localdate()
    services.round_publicity_start(round=evaluated_unit.round, actor=None, start=today)
    api_client.force_authenticate(unit_admin)

    detail = api_client.get(reverse("api-pilot-application-detail", args=[evaluated_unit.pk]))
    listed = api_client.get(reverse("api-pilot-round-applications", args=[evaluated_unit.round_id]))
    results = api_client.get(reverse("api-pilot-round-results", args=[evaluated_unit.round_id]))

    assert (detail.json()["result"], detail.json()["reviews"]) == (None, [])
    assert [(a["result"], a["reviews"]) for a in listed.json()["results"]] == [(None, [])]
    for body in (detail.content.decode(), listed.content.decode()):
        assert not any(name in body for name in _names(evaluated_unit))
        assert "75.5" not in body
    assert results.status_code == 404


def test_a_unit_sees_its_result_and_reviews_once_published(evaluated_unit, api_client, unit_admin):
    pilot_round = evaluated_unit.round
    monday = date(2026, 3, 2)
    services.round_publicity_start(round=pilot_round, actor=None, start=monday, today=monday)
    services.round_publish(round=pilot_round, actor=None, today=date(2026, 3, 10))
    api_client.force_authenticate(unit_admin)

    detail = api_client.get(
        reverse("api-pilot-application-detail", args=[evaluated_unit.pk])
    ).json()

    assert (detail["result"]["total"], detail["result"]["rank"]) == ("75.50", 1)
    assert sorted(r["reviewer_name"] for r in detail["reviews"]) == sorted(_names(evaluated_unit))
    assert sorted(r["total"] for r in detail["reviews"]) == ["68.50", "75.50", "82.50"]
    assert "flagged" not in detail["reviews"][0]


def test_union_staff_see_the_reviews_with_their_deviation_before_publication(
    evaluated_unit, api_client, union_staff
):
    api_client.force_authenticate(union_staff)

    detail = api_client.get(
        reverse("api-pilot-application-detail", args=[evaluated_unit.pk])
    ).json()

    assert detail["result"]["total"] == "75.50"
    assert sorted(r["deviation"] for r in detail["reviews"]) == ["-10.50", "0.00", "10.50"]


def test_a_reviewer_sees_the_unit_but_not_the_other_reviewers(evaluated_unit, api_client):
    person = evaluated_unit.assignments.first().reviewer
    api_client.force_authenticate(person)

    detail = api_client.get(
        reverse("api-pilot-application-detail", args=[evaluated_unit.pk])
    ).json()

    assert (detail["result"], detail["reviews"]) == (None, [])


def test_an_employer_that_runs_no_caring_childcare_cannot_apply(api_client, unit_admin):
    pilot_round = open_round()
    api_client.force_authenticate(unit_admin)

    response = api_client.post(
        reverse("api-pilot-round-applications", args=[pilot_round.pk]), {}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["code"] == "not_eligible"
    assert not Application.objects.exists()


def test_applying_is_refused_once_applications_close(api_client, unit_admin, employer):
    runs_programme(employer)
    today = timezone.localdate()
    pilot_round = open_round(
        applications_open_on=today - timedelta(10), applications_close_on=today - timedelta(1)
    )
    api_client.force_authenticate(unit_admin)

    response = api_client.post(
        reverse("api-pilot-round-applications", args=[pilot_round.pk]), {}, format="json"
    )

    assert response.status_code == 409
    assert not Application.objects.exists()


def test_a_unit_applies_once_per_round(api_client, unit_admin, employer):
    runs_programme(employer)
    pilot_round = open_round()
    api_client.force_authenticate(unit_admin)
    url = reverse("api-pilot-round-applications", args=[pilot_round.pk])
    api_client.post(url, {}, format="json")

    again = api_client.post(url, {}, format="json")

    assert again.status_code == 409
    assert Application.objects.count() == 1


def test_the_unit_withdraws_while_the_round_is_open(api_client, unit_admin, employer):
    application = apply(open_round(), employer)
    api_client.force_authenticate(unit_admin)

    response = api_client.post(
        reverse("api-pilot-application-withdraw", args=[application.pk]),
        {"reason": "条件不足"},
        format="json",
    )

    assert response.json()["status"] == "withdrawn"


def test_drafts_are_hidden_from_everyone_but_union_staff(api_client, union_staff):
    draft, opened = make_round(), open_round()

    staff_ids = {
        r["id"]
        for r in _client(api_client, union_staff)
        .get(reverse("api-pilot-round-list"))
        .json()["results"]
    }
    api_client.force_authenticate(UserFactory(role=Role.PARENT))
    parent_ids = {
        r["id"] for r in api_client.get(reverse("api-pilot-round-list")).json()["results"]
    }

    assert staff_ids == {draft.pk, opened.pk}
    assert parent_ids == {opened.pk}
    assert api_client.get(reverse("api-pilot-round-detail", args=[draft.pk])).status_code == 404


def test_patching_a_field_fixed_in_the_rounds_state_is_refused(api_client, union_staff):
    pilot_round = scoring_round()
    api_client.force_authenticate(union_staff)

    response = api_client.patch(
        reverse("api-pilot-round-detail", args=[pilot_round.pk]), {"year": 2099}, format="json"
    )

    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["year"]
    assert EvaluationRound.objects.get(pk=pilot_round.pk).year == pilot_round.year


def _units(pilot_round, count: int) -> None:
    for _ in range(count):
        application = apply(pilot_round)
        assign(application)


@pytest.mark.parametrize("count", [1, 30])
def test_the_application_list_runs_a_fixed_number_of_queries(
    api_client, union_staff, django_assert_max_num_queries, count
):
    pilot_round = scoring_round()
    _units(pilot_round, count)
    api_client.force_authenticate(union_staff)

    with django_assert_max_num_queries(6):
        response = api_client.get(reverse("api-pilot-round-applications", args=[pilot_round.pk]))

    assert response.json()["count"] == count


@pytest.mark.parametrize("count", [1, 30])
def test_the_assignment_list_runs_a_fixed_number_of_queries(
    api_client, django_assert_max_num_queries, count
):
    pilot_round = scoring_round()
    person = reviewer()
    for _ in range(count):
        assign(apply(pilot_round), person)
    api_client.force_authenticate(person)

    with django_assert_max_num_queries(5):
        response = api_client.get(reverse("api-pilot-assignment-list"), {"page_size": 50})

    assert response.json()["count"] == count


@pytest.mark.parametrize("count", [1, 30])
def test_the_result_list_runs_a_fixed_number_of_queries(
    api_client, union_staff, django_assert_max_num_queries, count
):
    pilot_round = scoring_round(places=1)
    for _ in range(count):
        scored_unit(pilot_round, [sheet(8, 7, 8, 7, 4)] * 3)
    services.round_evaluate(round_id=pilot_round.pk)
    api_client.force_authenticate(union_staff)

    with django_assert_max_num_queries(5):
        response = api_client.get(
            reverse("api-pilot-round-results", args=[pilot_round.pk]), {"page_size": 50}
        )

    assert response.json()["count"] == count
    assert UnitResult.objects.filter(round=pilot_round).count() == count
