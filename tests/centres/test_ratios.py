import pytest

from apps.centres.models import Centre, CentreClass
from apps.centres.ratios import (
    MAX_CLASS_SIZE,
    AgeClass,
    caregivers_needed,
    children_per_caregiver,
)
from apps.centres.selectors import classes_out_of_ratio, with_ratio
from tests.centres.factories import CentreClassFactory, CentreFactory

pytestmark = pytest.mark.django_db

# (age class, capacity, caregivers needed): the design's ratios at each class's national maximum,
# plus capacities just past a multiple of the ratio, where the ceiling matters.
NEEDED = [
    (AgeClass.INFANT, 10, 4),
    (AgeClass.INFANT, 9, 3),
    (AgeClass.TODDLER, 15, 3),
    (AgeClass.TODDLER, 11, 3),
    (AgeClass.TODDLER, 10, 2),
    (AgeClass.OLDER_TODDLER, 20, 3),
    (AgeClass.OLDER_TODDLER, 14, 2),
    (AgeClass.MIXED, 18, 4),
    (AgeClass.MIXED, 15, 3),
    (AgeClass.KG_SMALL, 25, 3),
    (AgeClass.KG_MIDDLE, 30, 3),
    (AgeClass.KG_LARGE, 35, 3),
    (AgeClass.KG_SMALL, 5, 3),
]


def _case_id(case):
    return f"{case[0]}-{case[1]}"


@pytest.mark.parametrize(("age_class", "capacity", "needed"), NEEDED, ids=map(_case_id, NEEDED))
def test_class_with_exactly_the_caregivers_needed_is_within_ratio(age_class, capacity, needed):
    CentreClassFactory(age_class=age_class, capacity=capacity, staffed=needed)

    assert list(classes_out_of_ratio()) == []


@pytest.mark.parametrize(("age_class", "capacity", "needed"), NEEDED, ids=map(_case_id, NEEDED))
def test_class_with_more_caregivers_than_needed_is_within_ratio(age_class, capacity, needed):
    CentreClassFactory(age_class=age_class, capacity=capacity, staffed=needed + 1)

    assert list(classes_out_of_ratio()) == []


@pytest.mark.parametrize(("age_class", "capacity", "needed"), NEEDED, ids=map(_case_id, NEEDED))
def test_class_with_one_caregiver_too_few_is_out_of_ratio(age_class, capacity, needed):
    centre_class = CentreClassFactory(age_class=age_class, capacity=capacity, staffed=needed - 1)

    [row] = classes_out_of_ratio()

    assert row == centre_class
    assert (row.caregivers_active, row.caregivers_needed) == (needed - 1, needed)


def test_class_without_caregivers_is_out_of_ratio():
    centre_class = CentreClassFactory(age_class=AgeClass.INFANT, capacity=1)

    [row] = classes_out_of_ratio()

    assert (row.pk, row.caregivers_active, row.caregivers_needed) == (centre_class.pk, 0, 1)


def test_inactive_caregivers_do_not_count_towards_the_ratio():
    centre_class = CentreClassFactory(age_class=AgeClass.TODDLER, capacity=15, staffed=3)
    departed = centre_class.caregivers.first()
    departed.is_active = False
    departed.save()

    [row] = classes_out_of_ratio()

    assert (row.pk, row.caregivers_active, row.caregivers_needed) == (centre_class.pk, 2, 3)


def test_caregivers_of_other_classes_do_not_count():
    centre_class = CentreClassFactory(age_class=AgeClass.TODDLER, capacity=15, staffed=2)
    CentreClassFactory(centre=centre_class.centre, staffed=3)

    assert [row.pk for row in classes_out_of_ratio()] == [centre_class.pk]


def test_closed_classes_are_not_reported_out_of_ratio():
    CentreClassFactory(age_class=AgeClass.TODDLER, capacity=15, staffed=0, is_active=False)

    assert list(classes_out_of_ratio()) == []


def test_out_of_ratio_can_be_narrowed_to_some_centres():
    mine = CentreClassFactory(staffed=1)
    CentreClassFactory(staffed=1)

    rows = classes_out_of_ratio(centres=Centre.objects.filter(pk=mine.centre_id))

    assert [row.pk for row in rows] == [mine.pk]


def test_out_of_ratio_selector_is_one_query(django_assert_num_queries):
    for _ in range(5):
        CentreClassFactory(staffed=1)

    with django_assert_num_queries(1):
        rows = list(classes_out_of_ratio())

    assert len(rows) == 5
    assert {row.centre.name for row in rows}  # the centre came with the same query


def test_sql_and_python_agree_on_every_capacity_of_every_age_class():
    centre = CentreFactory()
    for age_class, maximum in MAX_CLASS_SIZE.items():
        for capacity in range(1, maximum + 1):
            CentreClassFactory(
                centre=centre,
                name=f"{age_class}-{capacity}",
                age_class=age_class,
                capacity=capacity,
            )

    rows = with_ratio(CentreClass.objects.all())

    assert len(rows) == sum(MAX_CLASS_SIZE.values())
    assert all(
        row.caregivers_needed == caregivers_needed(row.age_class, row.capacity) for row in rows
    )


def test_mixed_class_defaults_to_the_ratio_of_18_to_24_month_olds():
    assert children_per_caregiver(AgeClass.MIXED) == 5


@pytest.mark.parametrize(
    ("ages_present_months", "needed"),
    [((30, 33), 3), ((20, 30), 4), ((10, 30), 6)],
    ids=["older-toddlers-only", "toddler-present", "infant-present"],
)
def test_mixed_class_takes_the_strictest_ratio_of_the_ages_present(ages_present_months, needed):
    assert caregivers_needed(AgeClass.MIXED, 18, ages_present_months) == needed


def test_kindergarten_classes_need_three_staff_whatever_their_size():
    assert [caregivers_needed(AgeClass.KG_LARGE, size) for size in (1, 20, 35)] == [3, 3, 3]
