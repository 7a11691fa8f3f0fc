"""The demo tells the report's story: six units approved at the Tangshan level, a new round open."""

import io

import pytest
from django.db import transaction
from django.utils import timezone

from apps.accounts import demo as accounts_demo
from apps.employers import demo as employers_demo
from apps.members import demo as members_demo
from apps.pilots import demo as pilots_demo
from apps.pilots.models import EvaluationRound, Level, ReviewerAssignment, UnitResult

pytestmark = pytest.mark.django_db


def _counts():
    return (
        EvaluationRound.objects.count(),
        UnitResult.objects.count(),
        ReviewerAssignment.objects.count(),
    )


def _seed() -> None:
    # The parts the pilots demo stands on, then its own; tests/test_demo_data.py runs them all.
    out = io.StringIO()
    for module in (accounts_demo, members_demo, employers_demo, pilots_demo):
        with transaction.atomic():
            module.seed(stdout=out)


def test_the_demo_adds_a_finished_round_with_six_approved_units_and_an_open_round():
    _seed()

    finished = EvaluationRound.objects.get(year=2023, level=Level.TANGSHAN)
    approved = UnitResult.objects.filter(round=finished, decision="approved")
    assert finished.status == "published"
    assert approved.count() == 6
    assert set(approved.values_list("application__employer__name", flat=True)) == {
        "河北鑫达钢铁集团有限公司",
        "万嘉市场置业发展有限公司",
        "凯达工贸有限责任公司",
        "光彩学前教育集团",
        "国网迁安市供电公司",
        "诚信建业有限公司",
    }
    assert all(r.is_awarded for r in approved.select_related("round"))
    opened = EvaluationRound.objects.get(year=timezone.localdate().year, level=Level.QIANAN)
    assert opened.status == "open"
    assert ReviewerAssignment.objects.filter(
        application__round=opened, reviewer__username="reviewer"
    ).exists()

    counts = _counts()
    _seed()

    assert _counts() == counts
