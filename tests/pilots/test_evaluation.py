"""Evaluating a round in the database: the hand-worked figures, re-runs and refusals."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from apps.core.models import AuditRecord
from apps.pilots.errors import PilotError
from apps.pilots.models import Application, EvaluationRound, ReviewerResult, UnitResult
from apps.pilots.services import application_disqualify, round_evaluate
from apps.pilots.tasks import evaluate_round
from tests.pilots.factories import apply, assign, items_by_title, scored_unit, scoring_round, sheet

pytestmark = pytest.mark.django_db

FIVE_SHEETS = [
    sheet(2, 7, 6, 5, 4),  # total 52.5
    sheet(8, 7, 8, 7, 4),  # 75.5
    sheet(8, 7, 8, 7, 4),  # 75.5
    sheet(9, 7, 8, 7, 4),  # 78
    sheet(10, 7, 10, 9, 4),  # 88.5
]
THREE_SHEETS = [sheet(8, 7, 9, 6, 4), sheet(9, 8, 8, 7, 5), sheet(7, 6, 7, 8, 3)]


def _figures(pilot_round):
    return list(
        UnitResult.objects.filter(round=pilot_round)
        .order_by("rank")
        .values_list(
            "application_id",
            "rank",
            "total",
            "score_infrastructure",
            "score_staffing",
            "score_activities",
            "score_management",
            "recommended",
            "reviewer_count",
            "trimmed",
            "item_scores",
        )
    )


def test_five_reviewers_trimmed_mean_weights_and_rounding_match_the_hand_sums():
    pilot_round = scoring_round()
    application = scored_unit(pilot_round, FIVE_SHEETS)

    round_evaluate(round_id=pilot_round.pk)

    result = UnitResult.objects.get(application=application)
    items = items_by_title(pilot_round)
    # I1 (8+8+9)/3 = 8.33 → 20.83; S1 7 → 17.5; A1 (8+8+8)/3 = 8 → 16; M1 7 + M2 4 → 22.
    assert (result.score_infrastructure, result.score_staffing) == (
        Decimal("20.83"),
        Decimal("17.50"),
    )
    assert (result.score_activities, result.score_management) == (
        Decimal("16.00"),
        Decimal("22.00"),
    )
    assert result.total == Decimal("76.33")
    assert (result.reviewer_count, result.trimmed) == (5, True)
    assert result.item_scores == {
        str(items["I1"].pk): "8.33",
        str(items["S1"].pk): "7.00",
        str(items["A1"].pk): "8.00",
        str(items["M1"].pk): "7.00",
        str(items["M2"].pk): "4.00",
    }


def test_three_reviewers_take_the_plain_mean():
    pilot_round = scoring_round()
    application = scored_unit(pilot_round, THREE_SHEETS)

    round_evaluate(round_id=pilot_round.pk)

    result = UnitResult.objects.get(application=application)
    assert (result.total, result.trimmed, result.reviewer_count) == (Decimal("75.50"), False, 3)


def test_reviewers_far_from_the_others_are_flagged_with_their_totals():
    pilot_round = scoring_round()
    application = scored_unit(pilot_round, FIVE_SHEETS)

    round_evaluate(round_id=pilot_round.pk)

    rows = list(
        ReviewerResult.objects.filter(result__application=application)
        .order_by("assignment_id")
        .values_list("total", "others_mean", "deviation", "flagged")
    )
    assert rows == [
        (Decimal("52.50"), Decimal("79.38"), Decimal("-26.88"), True),
        (Decimal("75.50"), Decimal("73.63"), Decimal("1.88"), False),
        (Decimal("75.50"), Decimal("73.63"), Decimal("1.88"), False),
        (Decimal("78.00"), Decimal("73.00"), Decimal("5.00"), False),
        (Decimal("88.50"), Decimal("70.38"), Decimal("18.13"), True),
    ]


def test_ranking_breaks_a_tie_on_management_and_recommends_up_to_the_places():
    pilot_round = scoring_round(places=2)
    now = timezone.now()
    # P and Q both total 77.50; Q has the better management score though it applied later.
    p = scored_unit(pilot_round, [sheet("8.8", 7, 8, 7, 4)] * 3, submitted_at=now)
    q = scored_unit(pilot_round, [sheet(8, 7, 8, 8, 4)] * 3, submitted_at=now + timedelta(1))
    top = scored_unit(pilot_round, [sheet(10, 10, 10, 10, 5)] * 3)
    low = scored_unit(pilot_round, [sheet(1, 1, 1, 1, 1)] * 3)

    summary = round_evaluate(round_id=pilot_round.pk)

    ranking = [
        (a, rank, total, rec) for a, rank, total, *_, rec, _n, _t, _i in _figures(pilot_round)
    ]
    assert ranking == [
        (top.pk, 1, Decimal("100.00"), True),
        (q.pk, 2, Decimal("77.50"), True),
        (p.pk, 3, Decimal("77.50"), False),
        (low.pk, 4, Decimal("11.00"), False),
    ]
    assert summary == {
        "round": pilot_round.pk,
        "units": 4,
        "recommended": 2,
        "flagged_reviewers": 0,
    }


def test_a_complete_tie_goes_to_the_earlier_application():
    pilot_round = scoring_round(places=1)
    now = timezone.now()
    later = scored_unit(pilot_round, [sheet(8, 7, 8, 7, 4)] * 3, submitted_at=now)
    earlier = scored_unit(pilot_round, [sheet(8, 7, 8, 7, 4)] * 3, submitted_at=now - timedelta(1))

    round_evaluate(round_id=pilot_round.pk)

    assert UnitResult.objects.get(rank=1, round=pilot_round).application_id == earlier.pk
    assert UnitResult.objects.get(rank=2, round=pilot_round).application_id == later.pk


def test_running_the_evaluation_again_gives_the_same_results():
    pilot_round = scoring_round()
    scored_unit(pilot_round, FIVE_SHEETS)
    scored_unit(pilot_round, THREE_SHEETS)
    evaluate_round(pilot_round.pk)
    first = _figures(pilot_round)
    first_reviewers = list(ReviewerResult.objects.values_list("assignment_id", "total", "flagged"))

    outcome = evaluate_round(pilot_round.pk)

    assert _figures(pilot_round) == first
    assert sorted(
        ReviewerResult.objects.values_list("assignment_id", "total", "flagged")
    ) == sorted(first_reviewers)
    assert UnitResult.objects.filter(round=pilot_round).count() == 2
    assert outcome["status"] == "evaluated"
    pilot_round.refresh_from_db()
    assert pilot_round.status == EvaluationRound.Status.EVALUATED


def test_a_disqualified_unit_is_left_out_and_the_round_goes_back_to_scoring():
    pilot_round = scoring_round()
    kept = scored_unit(pilot_round, THREE_SHEETS)
    dropped = scored_unit(pilot_round, FIVE_SHEETS)
    round_evaluate(round_id=pilot_round.pk)

    application_disqualify(application=dropped, actor=None, reason="Objection upheld.")
    pilot_round.refresh_from_db()
    assert pilot_round.status == EvaluationRound.Status.SCORING
    assert not UnitResult.objects.filter(round=pilot_round).exists()
    round_evaluate(round_id=pilot_round.pk)

    assert list(
        UnitResult.objects.filter(round=pilot_round).values_list("application", "rank")
    ) == [(kept.pk, 1)]


def _refused(pilot_round, code: str) -> None:
    before = (EvaluationRound.objects.get(pk=pilot_round.pk).status, UnitResult.objects.count())
    audits = AuditRecord.objects.count()

    with pytest.raises(PilotError) as refusal:
        round_evaluate(round_id=pilot_round.pk)

    assert refusal.value.code == code
    after = (EvaluationRound.objects.get(pk=pilot_round.pk).status, UnitResult.objects.count())
    assert after == before
    assert AuditRecord.objects.count() == audits


def test_evaluation_is_refused_while_a_sheet_is_not_submitted():
    pilot_round = scoring_round()
    application = scored_unit(pilot_round, THREE_SHEETS)
    assign(application)

    _refused(pilot_round, "scoring_incomplete")


def test_evaluation_is_refused_for_a_unit_with_fewer_than_three_submitted_sheets():
    pilot_round = scoring_round()
    scored_unit(pilot_round, THREE_SHEETS[:2])

    _refused(pilot_round, "too_few_reviewers")


def test_evaluation_is_refused_before_scoring_opens():
    from tests.pilots.factories import open_round

    pilot_round = open_round(simple=True)
    apply(pilot_round)

    _refused(pilot_round, "invalid_state")


def test_the_evaluation_runs_the_same_number_of_queries_for_1_and_30_units():
    counts = []
    for units in (1, 30):
        pilot_round = scoring_round()
        for _ in range(units):
            scored_unit(pilot_round, THREE_SHEETS)
        with CaptureQueriesContext(connection) as queries:
            round_evaluate(round_id=pilot_round.pk)
        counts.append(len(queries))

    assert counts[0] == counts[1]
    assert counts[0] <= 20


def test_the_command_refuses_an_unknown_round():
    with pytest.raises(CommandError, match="No evaluation round with id 999999"):
        call_command("evaluate_pilots", "--round", "999999")


def test_the_command_refuses_a_round_that_cannot_be_evaluated_and_queues_nothing(monkeypatch):
    queued = []
    monkeypatch.setattr(evaluate_round, "apply_async", lambda *a, **k: queued.append(k))
    pilot_round = scoring_round()
    scored_unit(pilot_round, THREE_SHEETS[:1])

    with pytest.raises(CommandError, match="fewer than 3 submitted score sheets"):
        call_command("evaluate_pilots", "--round", str(pilot_round.pk))

    assert queued == []


def test_the_command_queues_the_evaluation_task_for_the_round(
    monkeypatch, django_capture_on_commit_callbacks
):
    queued = []
    monkeypatch.setattr(evaluate_round, "apply_async", lambda *a, **k: queued.append(k))
    pilot_round = scoring_round()
    scored_unit(pilot_round, THREE_SHEETS)

    with django_capture_on_commit_callbacks(execute=True):
        call_command("evaluate_pilots", "--round", str(pilot_round.pk))

    assert [k["args"] for k in queued] == [[pilot_round.pk]]
    assert Application.objects.get(round=pilot_round).status == "submitted"
