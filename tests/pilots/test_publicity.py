"""Publicity (公示): five working days, objections by name, publishing only after both."""

from datetime import date

import pytest
from django.utils import timezone

from apps.core.models import AuditRecord
from apps.pilots import services
from apps.pilots.errors import PilotError
from apps.pilots.models import EvaluationRound, Level, Objection, PublicHoliday, UnitResult
from apps.pilots.workdays import add_working_days, publicity_end_for
from tests.pilots.factories import scored_unit, scoring_round, sheet

pytestmark = pytest.mark.django_db

MONDAY = date(2026, 3, 2)
GOOD, FAIR = [sheet(9, 9, 9, 9, 4)] * 3, [sheet(6, 6, 6, 6, 3)] * 3


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (date(2026, 3, 2), date(2026, 3, 9)),  # Monday → next Monday
        (date(2026, 3, 6), date(2026, 3, 13)),  # Friday → next Friday
        (date(2026, 3, 7), date(2026, 3, 13)),  # Saturday: the week's five days
        (date(2026, 4, 29), date(2026, 5, 11)),  # across Labour Day, make-up Saturday not counted
        (date(2026, 9, 29), date(2026, 10, 13)),  # across National Day
        (date(2026, 2, 13), date(2026, 3, 2)),  # across the Spring Festival
    ],
)
def test_publicity_ends_five_working_days_after_it_starts(start, end):
    assert publicity_end_for(start) == end


def test_a_holiday_union_staff_add_is_skipped():
    PublicHoliday.objects.create(date=date(2030, 3, 6), name="测试假日")

    assert publicity_end_for(date(2030, 3, 4)) == date(2030, 3, 12)


def test_adding_working_days_counts_from_the_day_after_the_start():
    assert add_working_days(date(2026, 3, 2), 1, set()) == date(2026, 3, 3)


@pytest.fixture
def evaluated():
    pilot_round = scoring_round(places=1)
    top = scored_unit(pilot_round, GOOD)
    scored_unit(pilot_round, FAIR)
    services.round_evaluate(round_id=pilot_round.pk)
    pilot_round.refresh_from_db()
    return pilot_round, top


@pytest.fixture
def in_publicity(evaluated):
    pilot_round, top = evaluated
    pilot_round = services.round_publicity_start(
        round=pilot_round, actor=None, start=MONDAY, today=MONDAY
    )
    return pilot_round, top


def test_publicity_starts_with_its_end_date_computed(in_publicity):
    pilot_round, _top = in_publicity

    assert pilot_round.status == EvaluationRound.Status.PUBLICITY
    assert (pilot_round.publicity_start, pilot_round.publicity_end) == (MONDAY, date(2026, 3, 9))


def test_publicity_cannot_start_in_the_past(evaluated):
    pilot_round, _top = evaluated

    with pytest.raises(PilotError) as refusal:
        services.round_publicity_start(
            round=pilot_round, actor=None, start=date(2026, 3, 1), today=MONDAY
        )

    assert refusal.value.fields == {"start": ["Publicity cannot start in the past."]}
    pilot_round.refresh_from_db()
    assert (pilot_round.status, pilot_round.publicity_start) == ("evaluated", None)


@pytest.mark.parametrize("today", [date(2026, 3, 2), date(2026, 3, 6), date(2026, 3, 9)])
def test_publishing_is_refused_until_the_period_has_ended(in_publicity, today):
    pilot_round, _top = in_publicity

    with pytest.raises(PilotError) as refusal:
        services.round_publish(round=pilot_round, actor=None, today=today)

    assert refusal.value.code == "publicity_not_over"
    assert refusal.value.message == (
        "The publicity period runs until 2026-03-09; results can be published from 2026-03-10."
    )
    pilot_round.refresh_from_db()
    assert (pilot_round.status, pilot_round.published_at) == ("publicity", None)


def test_results_are_published_the_day_after_the_period(in_publicity):
    pilot_round, _top = in_publicity

    services.round_publish(round=pilot_round, actor=None, today=date(2026, 3, 10))

    pilot_round.refresh_from_db()
    assert pilot_round.status == EvaluationRound.Status.PUBLISHED
    assert pilot_round.published_at is not None


def _object(pilot_round, top, *, today=date(2026, 3, 4)):
    return services.objection_lodge(
        round=pilot_round,
        application=top,
        full_name="王建国",
        contact="138 0013 8000",
        reason="该单位托育场所面积与申报不符。",
        today=today,
    )


def test_publishing_is_refused_while_an_objection_is_open(in_publicity):
    pilot_round, top = in_publicity
    _object(pilot_round, top)

    with pytest.raises(PilotError) as refusal:
        services.round_publish(round=pilot_round, actor=None, today=date(2026, 3, 10))

    assert (refusal.value.code, refusal.value.message) == (
        "objections_open",
        "1 objections are not resolved yet.",
    )
    assert EvaluationRound.objects.get(pk=pilot_round.pk).status == "publicity"


def test_once_every_objection_is_resolved_the_results_can_be_published(in_publicity, union_staff):
    pilot_round, top = in_publicity
    objection = _object(pilot_round, top)
    services.objection_resolve(
        objection=objection, actor=union_staff, outcome="dismissed", resolution="经核查属实。"
    )

    services.round_publish(round=pilot_round, actor=union_staff, today=date(2026, 3, 10))

    assert EvaluationRound.objects.get(pk=pilot_round.pk).status == "published"
    objection.refresh_from_db()
    assert (objection.status, objection.outcome, objection.resolved_by) == (
        "resolved",
        "dismissed",
        union_staff,
    )


def test_an_objection_keeps_the_name_and_contact_out_of_the_audit_trail(in_publicity):
    pilot_round, top = in_publicity

    objection = _object(pilot_round, top)

    assert (objection.full_name, objection.contact) == ("王建国", "13800138000")
    record = AuditRecord.objects.get(action="pilot_objection.lodge")
    assert "王建国" not in str(record.__dict__) and "13800138000" not in str(record.__dict__)
    assert record.changes == {"application": top.pk}


@pytest.mark.parametrize("today", [date(2026, 3, 1), date(2026, 3, 10)])
def test_objections_are_accepted_only_during_the_period(in_publicity, today):
    pilot_round, top = in_publicity

    with pytest.raises(PilotError) as refusal:
        _object(pilot_round, top, today=today)

    assert refusal.value.status_code == 409
    assert not Objection.objects.exists()


def test_an_objection_must_name_a_unit_of_the_notice(in_publicity):
    pilot_round, _top = in_publicity
    not_recommended = UnitResult.objects.get(round=pilot_round, recommended=False).application

    with pytest.raises(PilotError) as refusal:
        _object(pilot_round, not_recommended)

    assert list(refusal.value.fields) == ["application"]
    assert not Objection.objects.exists()


@pytest.mark.parametrize(
    ("field", "values"),
    [
        ("full_name", {"full_name": "王"}),
        ("contact", {"contact": "call me"}),
        ("reason", {"reason": "不同意"}),
    ],
)
def test_an_objection_needs_a_real_name_a_contact_and_a_reason(in_publicity, field, values):
    pilot_round, _top = in_publicity
    data = {
        "full_name": "王建国",
        "contact": "0315-7600000",
        "reason": "该单位申报材料与实际不符。",
    }

    with pytest.raises(PilotError) as refusal:
        services.objection_lodge(round=pilot_round, today=MONDAY, **{**data, **values})

    assert list(refusal.value.fields) == [field]
    assert not Objection.objects.exists()


def test_an_objection_cannot_be_resolved_twice(in_publicity, union_staff):
    pilot_round, top = in_publicity
    objection = _object(pilot_round, top)
    services.objection_resolve(
        objection=objection, actor=union_staff, outcome="upheld", resolution="x"
    )

    with pytest.raises(PilotError):
        services.objection_resolve(
            objection=objection, actor=union_staff, outcome="dismissed", resolution="y"
        )

    assert Objection.objects.get(pk=objection.pk).outcome == "upheld"


@pytest.fixture
def nomination():
    pilot_round = scoring_round(places=1, level=Level.TANGSHAN)
    top = scored_unit(pilot_round, GOOD)
    services.round_evaluate(round_id=pilot_round.pk)
    services.round_publicity_start(round=pilot_round, actor=None, start=MONDAY, today=MONDAY)
    services.round_publish(round=pilot_round, actor=None, today=date(2026, 3, 10))
    return pilot_round, UnitResult.objects.get(application=top)


def test_a_nominated_unit_awaits_the_higher_levels_decision_after_publication(nomination):
    _pilot_round, result = nomination

    assert (result.decision, result.decision_on, result.is_awarded) == ("pending", None, False)


def test_tangshans_approval_is_recorded_with_its_date(nomination, union_staff):
    _pilot_round, result = nomination
    approved_on = timezone.localdate()

    services.result_record_decision(
        result=result, actor=union_staff, decision="approved", decided_on=approved_on, note="唐工发"
    )

    result.refresh_from_db()
    assert (result.decision, result.decision_on, result.decision_note) == (
        "approved",
        approved_on,
        "唐工发",
    )
    assert result.is_awarded


def test_a_decision_dated_in_the_future_is_refused(nomination, union_staff):
    _pilot_round, result = nomination

    with pytest.raises(PilotError) as refusal:
        services.result_record_decision(
            result=result, actor=union_staff, decision="approved", decided_on=date(2099, 1, 1)
        )

    assert list(refusal.value.fields) == ["decided_on"]
    assert UnitResult.objects.get(pk=result.pk).decision == "pending"


def test_a_qianan_level_result_has_no_higher_decision_to_record(in_publicity, union_staff):
    pilot_round, top = in_publicity
    services.round_publish(round=pilot_round, actor=None, today=date(2026, 3, 10))
    result = UnitResult.objects.get(application=top)

    with pytest.raises(PilotError):
        services.result_record_decision(
            result=result, actor=union_staff, decision="approved", decided_on=timezone.localdate()
        )

    result.refresh_from_db()
    assert (result.decision, result.is_awarded) == ("", True)
