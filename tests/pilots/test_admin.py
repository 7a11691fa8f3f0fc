"""The union staff console for pilot selection: every page opens, actions call the services."""

from datetime import date, timedelta
from itertools import cycle

import pytest
from django.contrib.admin import helpers
from django.urls import reverse
from django.utils import timezone

from apps.pilots import services
from apps.pilots.models import (
    Application,
    EvaluationRound,
    Objection,
    PublicHoliday,
    ReviewerAssignment,
    RubricItem,
    UnitResult,
)
from apps.pilots.tasks import evaluate_round
from tests.pilots.factories import (
    apply,
    assign,
    make_round,
    open_round,
    reviewer,
    scored_unit,
    scoring_round,
    sheet,
)
from tests.pilots.test_evidence import PNG, upload_evidence

pytestmark = pytest.mark.django_db
_years = cycle(range(2001, 2100))

MODELS = [
    "evaluationround",
    "publicholiday",
    "application",
    "evidence",
    "reviewerassignment",
    "unitresult",
    "objection",
]


def url(model: str, view: str, *args) -> str:
    return reverse(f"admin:pilots_{model}_{view}", args=args)


@pytest.fixture
def staff_client(client, union_staff):
    client.force_login(union_staff)
    return client


def published_round(**fields) -> EvaluationRound:
    """A round already in publicity, written directly: these tests are about the console."""
    today, now = timezone.localdate(), timezone.now()
    values = {
        "year": next(_years),
        "level": "tangshan",
        "places": 1,
        "applications_open_on": today - timedelta(60),
        "applications_close_on": today - timedelta(50),
        "scoring_opens_on": today - timedelta(49),
        "scoring_closes_on": today - timedelta(40),
        "status": "publicity",
        "rubric_frozen_at": now,
        "evaluated_at": now,
        "publicity_start": today,
        "publicity_end": today + timedelta(7),
        **fields,
    }
    return EvaluationRound.objects.create(**values)


def result(pilot_round, rank: int = 1) -> UnitResult:
    return UnitResult.objects.create(
        round=pilot_round,
        application=apply(pilot_round),
        reviewer_count=3,
        score_infrastructure=20,
        score_staffing=20,
        score_activities=15,
        score_management=25,
        total=80,
        rank=rank,
        recommended=rank == 1,
        computed_at=timezone.now(),
    )


@pytest.fixture
def objects(employer):
    pilot_round = open_round(simple=True)
    application = apply(pilot_round, employer)
    item = RubricItem.objects.filter(round=pilot_round).first()
    evidence = upload_evidence(pilot_round, item, PNG, application=application)
    top = result(published_round())
    objection = Objection.objects.create(
        round=top.round,
        application=top.application,
        full_name="王建国",
        contact="13800138000",
        reason="该单位申报材料与实际不符。",
    )
    return {
        "evaluationround": pilot_round,
        "publicholiday": PublicHoliday.objects.first(),
        "application": application,
        "evidence": evidence,
        "reviewerassignment": assign(application),
        "unitresult": top,
        "objection": objection,
    }


@pytest.mark.parametrize("model", MODELS)
def test_changelist_opens_for_union_staff(staff_client, objects, model):
    assert staff_client.get(url(model, "changelist")).status_code == 200


@pytest.mark.parametrize("model", MODELS)
def test_changelist_search_opens_for_union_staff(staff_client, objects, model):
    assert staff_client.get(url(model, "changelist"), {"q": "迁安"}).status_code == 200


@pytest.mark.parametrize("model", ["evaluationround", "publicholiday", "reviewerassignment"])
def test_add_page_opens_for_union_staff(staff_client, model):
    assert staff_client.get(url(model, "add")).status_code == 200


@pytest.mark.parametrize("model", ["application", "evidence", "unitresult", "objection"])
def test_records_made_elsewhere_cannot_be_added_here(staff_client, model):
    assert staff_client.get(url(model, "add")).status_code == 403


@pytest.mark.parametrize("model", MODELS)
def test_change_page_opens_for_union_staff(staff_client, objects, model):
    assert staff_client.get(url(model, "change", objects[model].pk)).status_code == 200


def test_the_admin_is_closed_to_reviewers(client, objects):
    client.force_login(reviewer())

    response = client.get(url("evaluationround", "changelist"))

    assert response.status_code == 302


def test_adding_a_round_copies_the_template_rubric(staff_client):
    today = timezone.localdate()
    response = staff_client.post(
        url("evaluationround", "add"),
        {
            "year": 2040,
            "level": "qianan",
            "title": "",
            "places": 3,
            "applications_open_on": today,
            "applications_close_on": today + timedelta(10),
            "scoring_opens_on": today + timedelta(11),
            "scoring_closes_on": today + timedelta(20),
        },
    )

    assert response.status_code == 302
    pilot_round = EvaluationRound.objects.get(year=2040)
    assert RubricItem.objects.filter(round=pilot_round).count() == 20


def _action(client, model, action, rows, **extra):
    data = {"action": action, helpers.ACTION_CHECKBOX_NAME: [r.pk for r in rows], **extra}
    return client.post(url(model, "changelist"), data, follow=True)


def test_the_open_actions_move_a_round_on_and_freeze_the_rubric(staff_client):
    pilot_round = make_round()

    _action(staff_client, "evaluationround", "open_applications", [pilot_round])
    _action(staff_client, "evaluationround", "open_scoring", [pilot_round])

    pilot_round.refresh_from_db()
    assert (pilot_round.status, pilot_round.rubric_frozen) == ("scoring", True)


def test_the_evaluate_action_queues_the_evaluation(
    staff_client, monkeypatch, django_capture_on_commit_callbacks
):
    queued = []
    monkeypatch.setattr(evaluate_round, "apply_async", lambda *a, **k: queued.append(k["args"]))
    pilot_round = scoring_round()
    scored_unit(pilot_round, [sheet(8, 7, 8, 7, 4)] * 3)

    with django_capture_on_commit_callbacks(execute=True):
        _action(staff_client, "evaluationround", "evaluate", [pilot_round])

    assert queued == [[pilot_round.pk]]


def test_a_refused_action_is_reported_and_changes_nothing(staff_client, objects):
    in_publicity = objects["objection"].round

    response = _action(staff_client, "evaluationround", "publish", [in_publicity])

    assert "results can be published from" in response.content.decode()
    assert EvaluationRound.objects.get(pk=in_publicity.pk).status == "publicity"


def test_the_publicity_action_asks_for_the_start_date(staff_client):
    pilot_round = scoring_round()
    scored_unit(pilot_round, [sheet(8, 7, 8, 7, 4)] * 3)
    services.round_evaluate(round_id=pilot_round.pk)
    start = timezone.localdate() + timedelta(1)

    asked = _action(staff_client, "evaluationround", "start_publicity", [pilot_round])
    _action(
        staff_client, "evaluationround", "start_publicity", [pilot_round], apply="1", start=start
    )

    assert "When does the publicity notice start?" in asked.content.decode()
    assert EvaluationRound.objects.get(pk=pilot_round.pk).publicity_start == start


def test_the_disqualify_action_asks_for_a_reason(staff_client, objects):
    application = objects["application"]

    _action(staff_client, "application", "disqualify", [application], apply="1", reason="材料造假")

    assert Application.objects.get(pk=application.pk).status == "disqualified"


def test_union_staff_resolve_an_objection_on_its_page(staff_client, objects):
    objection = objects["objection"]

    response = staff_client.post(
        url("objection", "change", objection.pk),
        {"outcome": "dismissed", "resolution": "经核查无误。"},
    )

    assert response.status_code == 302
    objection.refresh_from_db()
    assert (objection.status, objection.outcome) == ("resolved", "dismissed")


def test_a_resolved_objection_is_read_only(staff_client, objects, union_staff):
    objection = services.objection_resolve(
        objection=objects["objection"], actor=union_staff, outcome="upheld", resolution="属实"
    )

    staff_client.post(
        url("objection", "change", objection.pk), {"outcome": "dismissed", "resolution": "x"}
    )

    assert Objection.objects.get(pk=objection.pk).outcome == "upheld"


def test_union_staff_add_a_reviewer_through_the_admin(staff_client, objects):
    person = reviewer()

    response = staff_client.post(
        url("reviewerassignment", "add"),
        {"application": objects["application"].pk, "reviewer": person.pk},
    )

    assert response.status_code == 302
    assert ReviewerAssignment.objects.filter(reviewer=person).count() == 1


def test_the_decision_action_records_the_higher_levels_approval(staff_client, union_staff):
    pilot_round = scoring_round(places=1, level="tangshan")
    top = scored_unit(pilot_round, [sheet(8, 7, 8, 7, 4)] * 3)
    services.round_evaluate(round_id=pilot_round.pk)
    services.round_publicity_start(
        round=pilot_round, actor=None, start=date(2026, 3, 2), today=date(2026, 3, 2)
    )
    services.round_publish(round=pilot_round, actor=None, today=date(2026, 3, 10))
    result = UnitResult.objects.get(application=top)
    today = timezone.localdate()

    _action(
        staff_client,
        "unitresult",
        "record_decision",
        [result],
        apply="1",
        decision="approved",
        decided_on=today,
        note="",
    )

    result.refresh_from_db()
    assert (result.decision, result.decision_on) == ("approved", today)


def _rows(model: str, count: int) -> None:
    if model == "evaluationround":
        for _ in range(count):
            published_round()
        return
    pilot_round = published_round()
    for rank in range(1, count + 1):
        row = result(pilot_round, rank)
        assign(row.application)


@pytest.mark.parametrize("count", [1, 30])
@pytest.mark.parametrize(
    "model", ["evaluationround", "application", "reviewerassignment", "unitresult", "objection"]
)
def test_changelists_run_a_fixed_number_of_queries(
    staff_client, django_assert_max_num_queries, model, count
):
    _rows(model, count)
    if model == "objection":
        for row in UnitResult.objects.all():
            Objection.objects.create(
                round=row.round,
                application=row.application,
                full_name="王建国",
                contact="13800138000",
                reason="该单位申报材料与实际不符。",
            )

    with django_assert_max_num_queries(12):
        assert staff_client.get(url(model, "changelist")).status_code == 200
