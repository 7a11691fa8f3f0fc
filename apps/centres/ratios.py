"""The national class sizes and staff ratios, in one table, for Python and for SQL.

Childcare classes (托育机构设置标准): infants [6, 12) months 1 caregiver : 3 children, at most 10;
toddlers [12, 24) 1:5, at most 15; older toddlers [24, 36] 1:7, at most 20; a mixed class from
18 months at most 18, with the strictest ratio of the ages present. Kindergarten classes
(幼儿园教职工配备标准, full-day): at most 25 / 30 / 35 children, 2 teachers + 1 care worker each.
"""

from collections.abc import Iterable

from django.db import models
from django.db.models import Case, F, IntegerField, Value, When
from django.utils.translation import gettext_lazy as _


class AgeClass(models.TextChoices):
    """The design's age classes; months are half-open [from, to) except older toddlers' 36."""

    INFANT = "infant", _("infant class (6–12 months)")
    TODDLER = "toddler", _("toddler class (12–24 months)")
    OLDER_TODDLER = "older_toddler", _("older toddler class (24–36 months)")
    MIXED = "mixed", _("mixed-age class (from 18 months)")
    KG_SMALL = "kg_small", _("kindergarten small class (3–4 years)")
    KG_MIDDLE = "kg_middle", _("kindergarten middle class (4–5 years)")
    KG_LARGE = "kg_large", _("kindergarten large class (5–6 years)")


# Largest class the national standards allow, per age class.
MAX_CLASS_SIZE = {
    AgeClass.INFANT: 10,
    AgeClass.TODDLER: 15,
    AgeClass.OLDER_TODDLER: 20,
    AgeClass.MIXED: 18,
    AgeClass.KG_SMALL: 25,
    AgeClass.KG_MIDDLE: 30,
    AgeClass.KG_LARGE: 35,
}

# Children one caregiver may look after, for the childcare age classes.
CHILDREN_PER_CAREGIVER = {
    AgeClass.INFANT: 3,
    AgeClass.TODDLER: 5,
    AgeClass.OLDER_TODDLER: 7,
}

# Age bands in months, [from, to), that decide which ratio a child of that age needs.
_AGE_BANDS = (
    (6, 12, AgeClass.INFANT),
    (12, 24, AgeClass.TODDLER),
    (24, 37, AgeClass.OLDER_TODDLER),
)

# Until enrolments exist a mixed class is taken to hold 18–24-month children (its youngest).
MIXED_DEFAULT_AGES_MONTHS = (18,)

KINDERGARTEN_CLASSES = (AgeClass.KG_SMALL, AgeClass.KG_MIDDLE, AgeClass.KG_LARGE)
KINDERGARTEN_STAFF_PER_CLASS = 3  # 2 teachers + 1 care worker, whatever the class size


def age_class_for_months(months: int) -> AgeClass:
    for start, end, age_class in _AGE_BANDS:
        if start <= months < end:
            return age_class
    raise ValueError(f"no childcare age class for {months} months")


def children_per_caregiver(
    age_class: str, ages_present_months: Iterable[int] | None = None
) -> int | None:
    """Children per caregiver for a class; None for kindergarten classes (staffed per class).

    A mixed class takes the strictest ratio of the ages present; pass them once enrolments exist.
    """
    if age_class in KINDERGARTEN_CLASSES:
        return None
    if age_class == AgeClass.MIXED:
        ages = tuple(ages_present_months or MIXED_DEFAULT_AGES_MONTHS)
        return min(CHILDREN_PER_CAREGIVER[age_class_for_months(age)] for age in ages)
    return CHILDREN_PER_CAREGIVER[AgeClass(age_class)]


def caregivers_needed(
    age_class: str, capacity: int, ages_present_months: Iterable[int] | None = None
) -> int:
    """ceil(capacity / children per caregiver); a kindergarten class always needs 3 staff."""
    ratio = children_per_caregiver(age_class, ages_present_months)
    if ratio is None:
        return KINDERGARTEN_STAFF_PER_CLASS
    return -(-capacity // ratio)


def capacity_error(age_class: str, capacity: int) -> str | None:
    """Why a capacity is not allowed for the age class, or None when it is."""
    maximum = MAX_CLASS_SIZE.get(age_class)
    if maximum is None:
        return None  # the age class itself is refused elsewhere, naming its own field
    if not 1 <= capacity <= maximum:
        return _(
            "The capacity of a %(age_class)s must be between 1 and %(maximum)d children: "
            "%(maximum)d is the national maximum for this age class."
        ) % {"age_class": AgeClass(age_class).label, "maximum": maximum}
    return None


def _expression(value):
    return value if hasattr(value, "resolve_expression") else Value(value)


def caregivers_needed_expression(*, mixed_children_per_caregiver=None) -> Case:
    """SQL twin of `caregivers_needed` for CentreClass rows.

    `mixed_children_per_caregiver` may be an expression (e.g. a subquery over enrolments giving
    the strictest ratio of the ages present); it defaults to the 18–24-month ratio.
    """
    if mixed_children_per_caregiver is None:
        mixed_children_per_caregiver = children_per_caregiver(AgeClass.MIXED)
    ratios = {**CHILDREN_PER_CAREGIVER, AgeClass.MIXED: mixed_children_per_caregiver}
    # Integer ceiling division, (capacity + ratio - 1) / ratio, stays exact in PostgreSQL.
    whens = [
        When(age_class=age_class, then=(F("capacity") + ratio - Value(1)) / ratio)
        for age_class, ratio in ((a, _expression(r)) for a, r in ratios.items())
    ]
    return Case(
        *whens,
        When(age_class__in=KINDERGARTEN_CLASSES, then=Value(KINDERGARTEN_STAFF_PER_CLASS)),
        output_field=IntegerField(),
    )
