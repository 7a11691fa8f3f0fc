"""Demo pilot selection: the 2023 round that nominated the report's six units, approved at the
Tangshan level, and this year's Qian'an round, open for applications.

The finished round is history, so its rows are written with their historical dates; the open
round goes through the services like any new round.
"""

import struct
import zlib
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from apps.accounts.demo import DEMO_PASSWORD
from apps.accounts.models import Role, User
from apps.accounts.services import user_create
from apps.centres.models import RegistrationStatus
from apps.core.models import Area
from apps.core.validators import make_credit_code
from apps.employers.demo_registry import DEMO_EMPLOYER_CODES
from apps.employers.models import Employer
from apps.employers.services.registry import employer_approve, employer_create

from .indicators import indicators_for
from .models import (
    Application,
    EvaluationRound,
    ItemScore,
    Level,
    Objection,
    ReviewerAssignment,
    RubricItem,
    UnitResult,
)
from .services import (
    assignment_create,
    evidence_add,
    round_create,
    round_evaluate,
    round_open_applications,
)
from .workdays import publicity_end_for

REVIEWERS = [
    ("reviewer", "孙涛"),
    ("reviewer2", "周宁"),
    ("reviewer3", "吴桐"),
    ("reviewer4", "郑岚"),
    ("reviewer5", "冯磊"),
]
# Two more applicants of 2023 that were not nominated (fictitious credit codes; the school's is
# the one the welfare demo uses, so whichever runs first creates it and the other finds it).
EXTRA_EMPLOYERS = [
    ("迁安市第四实验小学", make_credit_code("12130283MB04XXQ01"), "public_institution"),
    ("迁安市人民医院", make_credit_code("12130283MB0000009"), "public_institution"),
]
# The six units of the report, best first, then the two not nominated: (key, quality 0–1).
UNITS_2023 = [
    ("xinda_steel", Decimal("0.93")),
    ("guangcai_education", Decimal("0.91")),
    ("state_grid_qianan", Decimal("0.89")),
    ("wanjia_market", Decimal("0.87")),
    ("kaida_trading", Decimal("0.86")),
    ("chengxin_construction", Decimal("0.84")),
    ("迁安市第四实验小学", Decimal("0.76")),
    ("迁安市人民医院", Decimal("0.72")),
]
APPROVED_ON = date(2024, 1, 10)


def _at(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def _reviewers() -> list[User]:
    accounts = []
    for username, full_name in REVIEWERS:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = user_create(
                username=username, password=DEMO_PASSWORD, role=Role.REVIEWER, full_name=full_name
            )
        accounts.append(user)
    return accounts


def _extra_employer(name: str, code: str, kind: str) -> Employer:
    employer = Employer.objects.filter(credit_code=code).first()
    if employer is None:
        employer = employer_create(
            name=name,
            credit_code=code,
            kind=kind,
            address=f"迁安市{name}",
            area=Area.objects.order_by("sort_order").first(),
            union=None,
            actor=None,
        )
    if employer.status == RegistrationStatus.PENDING:
        employer = employer_approve(employer=employer, actor=None)
    return employer


def _employers() -> dict[str, Employer]:
    employers = {
        key: employer
        for key in DEMO_EMPLOYER_CODES
        if (employer := Employer.objects.filter(credit_code=DEMO_EMPLOYER_CODES[key]).first())
    }
    for name, code, kind in EXTRA_EMPLOYERS:
        employers[name] = _extra_employer(name, code, kind)
    return employers


def _score(maximum: Decimal, quality: Decimal, unit: int, reviewer: int, item: int) -> Decimal:
    # Reviewers differ a little, items a little more; rounded to half points as reviewers do.
    spread = Decimal((unit * 7 + reviewer * 3 + item * 5) % 9 - 4) / 100
    share = min(Decimal(1), max(Decimal(0), quality + spread))
    return (maximum * share * 2).quantize(Decimal(1)) / 2


def _finished_round(employers: dict, reviewers: list[User]) -> EvaluationRound:
    round = round_create(
        actor=None,
        year=2023,
        level=Level.TANGSHAN,
        places=6,
        title="2023年度爱心托育用人单位试点选树（推荐唐山市级）",
        applications_open_on=date(2023, 9, 1),
        applications_close_on=date(2023, 9, 30),
        scoring_opens_on=date(2023, 10, 16),
        scoring_closes_on=date(2023, 10, 31),
    )
    round_open_applications(round=round, actor=None)
    applications = []
    for n, (key, _quality) in enumerate(UNITS_2023):
        applications.append(
            Application.objects.create(
                round=round,
                employer=employers[key],
                statement="本单位为职工子女提供爱心托育服务。",
                submitted_at=_at(date(2023, 9, 4 + n)),
            )
        )
    sheets = [
        ReviewerAssignment.objects.create(application=application, reviewer=reviewer)
        for application in applications
        for reviewer in reviewers
    ]
    figures = indicators_for([a.employer_id for a in applications], on=date(2023, 10, 16))
    for application in applications:
        application.indicators = figures[application.employer_id]
    Application.objects.bulk_update(applications, ["indicators"])
    EvaluationRound.objects.filter(pk=round.pk).update(
        status=EvaluationRound.Status.SCORING, rubric_frozen_at=_at(date(2023, 10, 16), 9)
    )
    items = list(RubricItem.objects.filter(round=round).order_by("dimension__position", "position"))
    qualities = dict(UNITS_2023)
    scores = []
    for sheet in sheets:
        unit = applications.index(sheet.application)
        quality = qualities[UNITS_2023[unit][0]]
        for i, item in enumerate(items):
            score = _score(item.max_score, quality, unit, reviewers.index(sheet.reviewer), i)
            scores.append(ItemScore(assignment=sheet, item=item, score=score))
    ItemScore.objects.bulk_create(scores)
    ReviewerAssignment.objects.filter(pk__in=[s.pk for s in sheets]).update(
        submitted_at=_at(date(2023, 10, 27), 16)
    )
    round_evaluate(round_id=round.pk)
    start = date(2023, 11, 13)
    EvaluationRound.objects.filter(pk=round.pk).update(
        evaluated_at=_at(date(2023, 11, 6)),
        status=EvaluationRound.Status.PUBLICITY,
        publicity_start=start,
        publicity_end=publicity_end_for(start),
    )
    objection = Objection.objects.create(
        round=round,
        application=applications[4],
        full_name="王建国",
        contact="13800000000",
        reason="希望核实该单位购买学位的实际使用情况。",
    )
    Objection.objects.filter(pk=objection.pk).update(
        status=Objection.Status.RESOLVED,
        outcome=Objection.Outcome.DISMISSED,
        resolution="经核查，学位使用情况与申报材料一致，已电话告知异议人。",
        resolved_at=_at(date(2023, 11, 17), 15),
    )
    EvaluationRound.objects.filter(pk=round.pk).update(
        status=EvaluationRound.Status.PUBLISHED, published_at=_at(date(2023, 11, 22))
    )
    UnitResult.objects.filter(round=round, recommended=True).update(
        decision=UnitResult.Decision.APPROVED,
        decision_on=APPROVED_ON,
        decision_note="唐山市总工会批复",
    )
    return round


def _png() -> bytes:
    """A 1×1 PNG, enough to show an evidence file in the demo."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xc0\x39\x2b")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def _open_round(employers: dict, reviewers: list[User]) -> EvaluationRound:
    today = timezone.localdate()
    round = round_create(
        actor=None,
        year=today.year,
        level=Level.QIANAN,
        places=5,
        title=f"{today.year}年度迁安市爱心托育用人单位试点选树",
        applications_open_on=today - timedelta(days=14),
        applications_close_on=today + timedelta(days=30),
        scoring_opens_on=today + timedelta(days=33),
        scoring_closes_on=today + timedelta(days=60),
    )
    round = round_open_applications(round=round, actor=None)
    steel = employers.get("xinda_steel")
    if steel is None:
        return round
    admin = User.objects.filter(username="employer_admin").first()
    application = Application.objects.create(
        round=round,
        employer=steel,
        statement="骏德幼儿园可容纳幼儿300余人，职工享有每月200元托育补贴。",
        submitted_by=admin,
    )
    first_item = RubricItem.objects.filter(round=round).order_by("dimension__position", "position")
    evidence_add(
        application=application,
        item=first_item.first(),
        upload=SimpleUploadedFile("骏德幼儿园平面图.png", _png(), content_type="image/png"),
        actor=admin,
        description="园区平面图",
    )
    for reviewer in reviewers[:3]:
        assignment_create(application=application, reviewer=reviewer, actor=None)
    return round


def seed(*, stdout) -> None:
    reviewers = _reviewers()
    employers = _employers()
    finished = EvaluationRound.objects.filter(year=2023, level=Level.TANGSHAN).exists()
    if not finished and all(key in employers for key, _quality in UNITS_2023):
        _finished_round(employers, reviewers)
    today = timezone.localdate()
    if not EvaluationRound.objects.filter(year=today.year, level=Level.QIANAN).exists():
        _open_round(employers, reviewers)
    approved = UnitResult.objects.filter(
        round__level=Level.TANGSHAN, decision=UnitResult.Decision.APPROVED
    ).count()
    stdout.write(
        f"  pilot rounds: {EvaluationRound.objects.count()}, "
        f"units approved at the Tangshan level: {approved}"
    )
