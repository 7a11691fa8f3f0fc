from .applications import Application, Evidence, ItemScore, ReviewerAssignment
from .results import Objection, ReviewerResult, UnitResult
from .rounds import (
    DISPLAY_ORDER,
    NOMINATION_LEVELS,
    TIE_BREAK_ORDER,
    Dimension,
    EvaluationRound,
    Level,
    PublicHoliday,
    RubricDimension,
    RubricItem,
)

__all__ = [
    "DISPLAY_ORDER",
    "NOMINATION_LEVELS",
    "TIE_BREAK_ORDER",
    "Application",
    "Dimension",
    "EvaluationRound",
    "Evidence",
    "ItemScore",
    "Level",
    "Objection",
    "PublicHoliday",
    "ReviewerAssignment",
    "ReviewerResult",
    "RubricDimension",
    "RubricItem",
    "UnitResult",
]
