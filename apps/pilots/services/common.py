"""Helpers the pilots services share: locking a round and refusing the wrong state."""

from datetime import date

from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

from ..errors import PilotCode, conflict
from ..models import EvaluationRound, ReviewerResult, UnitResult

REASON_MAX_LENGTH = 300


def today_or(today: date | None) -> date:
    return today or timezone.localdate()


def lock_round(round: EvaluationRound) -> EvaluationRound:
    """Re-read the round under a row lock: every state change of a round is serialised here."""
    return EvaluationRound.objects.select_for_update().get(pk=round.pk)


def require_status(round: EvaluationRound, *statuses: str) -> None:
    if round.status not in statuses:
        labels = ", ".join(str(EvaluationRound.Status(s).label) for s in statuses)
        raise conflict(
            _("The round is %(status)s; this needs it to be: %(expected)s.")
            % {"status": round.get_status_display(), "expected": labels},
            code=PilotCode.INVALID_STATE,
        )


def require_rubric_editable(round: EvaluationRound) -> None:
    if round.rubric_frozen:
        raise conflict(
            _("The rubric was frozen when scoring opened; it can no longer be changed."),
            code=PilotCode.RUBRIC_FROZEN,
            field="rubric",
        )


def delete_results(round: EvaluationRound) -> None:
    """Two DELETE statements. The reviewer rows go first (a single fast delete); the results
    are then removed by round id, where Django's collector would fetch every row to cascade."""
    ReviewerResult.objects.filter(result__round=round).delete()
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {connection.ops.quote_name(UnitResult._meta.db_table)} "  # noqa: S608
            "WHERE round_id = %s",
            [round.pk],
        )
