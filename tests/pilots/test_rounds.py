"""Rounds: creating them, the dates they keep, and the daily task that moves them on."""

from datetime import timedelta

import pytest
from django.utils import timezone

from apps.pilots import services
from apps.pilots.errors import PilotError
from apps.pilots.models import EvaluationRound
from apps.pilots.tasks import advance_rounds
from tests.pilots.factories import make_round, open_round

pytestmark = pytest.mark.django_db


def test_a_round_with_dates_out_of_order_is_refused():
    today = timezone.localdate()

    with pytest.raises(PilotError) as refusal:
        services.round_create(
            actor=None,
            year=2031,
            level="qianan",
            places=3,
            applications_open_on=today,
            applications_close_on=today - timedelta(1),
            scoring_opens_on=today,
            scoring_closes_on=today,
        )

    assert refusal.value.message.startswith("Dates must follow each other")
    assert not EvaluationRound.objects.exists()


def test_there_is_one_round_per_year_and_level():
    first = make_round()

    with pytest.raises(PilotError) as refusal:
        make_round(year=first.year)

    assert "There is already a round for this year and level." in str(refusal.value.fields)
    assert EvaluationRound.objects.count() == 1


def test_the_places_can_change_until_evaluation_but_the_year_only_in_draft():
    pilot_round = open_round()

    services.round_update(round=pilot_round, actor=None, places=8)
    with pytest.raises(PilotError) as refusal:
        services.round_update(round=pilot_round, actor=None, year=pilot_round.year + 1)

    pilot_round.refresh_from_db()
    assert pilot_round.places == 8
    assert list(refusal.value.fields) == ["year"]


def test_the_daily_task_opens_applications_and_scoring_on_their_dates():
    today = timezone.localdate()
    due = make_round(
        applications_open_on=today - timedelta(20),
        applications_close_on=today - timedelta(5),
        scoring_opens_on=today,
    )
    later = make_round(applications_open_on=today + timedelta(1))

    counts = advance_rounds()

    assert counts == {"opened": 1, "scoring": 1, "held": 0}
    assert EvaluationRound.objects.get(pk=due.pk).status == "scoring"
    assert EvaluationRound.objects.get(pk=later.pk).status == "draft"


def test_the_daily_task_holds_a_round_whose_rubric_is_not_ready():
    today = timezone.localdate()
    pilot_round = open_round(
        applications_open_on=today - timedelta(20),
        applications_close_on=today - timedelta(5),
        scoring_opens_on=today,
    )
    services.rubric_dimension_set_weight(
        dimension=pilot_round.dimensions.first(), weight="10", actor=None
    )

    counts = advance_rounds()

    assert counts == {"opened": 0, "scoring": 0, "held": 1}
    pilot_round.refresh_from_db()
    assert (pilot_round.status, pilot_round.rubric_frozen) == ("open", False)
