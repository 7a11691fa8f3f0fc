"""Every write of the pilot-unit selection, one module per part of the process."""

from .applications import (
    application_disqualify,
    application_submit,
    application_withdraw,
    evidence_add,
    evidence_remove,
)
from .evaluation import evaluation_problems, round_evaluate, round_evaluation_request
from .publicity import (
    objection_lodge,
    objection_resolve,
    result_record_decision,
    round_publicity_start,
    round_publish,
)
from .reviews import (
    assignment_check,
    assignment_create,
    assignment_remove,
    assignment_submit,
    reviewer_has_conflict,
    scores_save,
)
from .rounds import (
    round_create,
    round_open_applications,
    round_open_scoring,
    round_update,
    rounds_advance,
)
from .rubric import (
    rubric_dimension_set_weight,
    rubric_item_delete,
    rubric_item_save,
    rubric_replace,
)

__all__ = [
    "application_disqualify",
    "application_submit",
    "application_withdraw",
    "assignment_check",
    "assignment_create",
    "assignment_remove",
    "assignment_submit",
    "evaluation_problems",
    "evidence_add",
    "evidence_remove",
    "objection_lodge",
    "objection_resolve",
    "result_record_decision",
    "reviewer_has_conflict",
    "round_create",
    "round_evaluate",
    "round_evaluation_request",
    "round_open_applications",
    "round_open_scoring",
    "round_publicity_start",
    "round_publish",
    "round_update",
    "rounds_advance",
    "rubric_dimension_set_weight",
    "rubric_item_delete",
    "rubric_item_save",
    "rubric_replace",
    "scores_save",
]
