"""Public pilot pages and the reviewer pages."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from apps.accounts.models import Role
from apps.pilots import services
from apps.pilots.models import ItemScore, Level, Objection, ReviewerAssignment, UnitResult
from tests.accounts.factories import UserFactory
from tests.pilots.factories import (
    apply,
    assign,
    items_by_title,
    open_round,
    scored_unit,
    scoring_round,
    sheet,
)
from tests.pilots.test_evidence import PNG, upload_evidence

pytestmark = pytest.mark.django_db

SHEETS = [sheet(9, 9, 9, 9, 4), sheet(8, 8, 8, 8, 4), sheet(9, 8, 9, 8, 5)]


def _evaluated(level=Level.QIANAN, *, places=1):
    pilot_round = scoring_round(places=places, level=level)
    top = scored_unit(pilot_round, SHEETS)
    other = scored_unit(pilot_round, [sheet(5, 5, 5, 5, 2)] * 3)
    services.round_evaluate(round_id=pilot_round.pk)
    pilot_round.refresh_from_db()
    return pilot_round, top, other


@pytest.fixture
def in_publicity():
    pilot_round, top, other = _evaluated()
    today = timezone.localdate()
    pilot_round = services.round_publicity_start(round=pilot_round, actor=None, start=today)
    return pilot_round, top, other


def _published(level=Level.QIANAN):
    pilot_round, top, other = _evaluated(level)
    monday = date(2026, 3, 2)
    services.round_publicity_start(round=pilot_round, actor=None, start=monday, today=monday)
    services.round_publish(round=pilot_round, actor=None, today=date(2026, 3, 10))
    return (
        pilot_round,
        UnitResult.objects.get(application=top),
        UnitResult.objects.get(application=other),
    )


def test_the_publicity_notice_names_the_units_but_no_scores_or_reviewers(client, in_publicity):
    pilot_round, top, other = in_publicity
    result = UnitResult.objects.get(application=top)

    page = client.get(reverse("pilots:index")).content.decode()

    assert top.employer.name in page
    assert other.employer.name not in page
    assert str(result.total) not in page
    assert not any(a.reviewer.full_name in page for a in ReviewerAssignment.objects.all())
    assert reverse("pilots:objection", args=[pilot_round.pk]) in page
    assert "css/portal.css" in page


def test_anyone_lodges_an_objection_with_name_contact_and_reason(client, in_publicity):
    pilot_round, top, _other = in_publicity
    url = reverse("pilots:objection", args=[pilot_round.pk])

    response = client.post(
        url,
        {
            "application": top.pk,
            "full_name": "王建国",
            "contact": "13800138000",
            "reason": "该单位托育场所面积与申报不符。",
        },
    )

    assert response.status_code == 302
    objection = Objection.objects.get()
    assert (objection.application, objection.full_name, objection.contact) == (
        top,
        "王建国",
        "13800138000",
    )
    page = client.get(reverse("pilots:index")).content.decode()
    assert "13800138000" not in page and "王建国" not in page
    assert "Your objection was received." in page


def test_an_objection_without_a_contact_is_shown_its_error(client, in_publicity):
    pilot_round, _top, _other = in_publicity

    response = client.post(
        reverse("pilots:objection", args=[pilot_round.pk]),
        {"full_name": "王建国", "contact": "tomorrow", "reason": "该单位托育场所面积与申报不符。"},
    )

    assert response.status_code == 200
    assert "Give a mobile number, a landline" in response.content.decode()
    assert not Objection.objects.exists()


def test_objections_are_rate_limited(client, in_publicity):
    pilot_round, _top, _other = in_publicity
    url = reverse("pilots:objection", args=[pilot_round.pk])
    data = {
        "full_name": "王建国",
        "contact": "13800138000",
        "reason": "该单位托育场所面积与申报不符。",
    }

    statuses = [client.post(url, data).status_code for _ in range(6)]

    assert statuses == [302] * 5 + [429]
    assert Objection.objects.count() == 5


def test_the_objection_form_is_gone_once_publicity_is_over(client):
    pilot_round, _top, _other = _published()

    assert client.get(reverse("pilots:objection", args=[pilot_round.pk])).status_code == 404


def test_published_results_are_listed_by_level_and_year(client):
    qianan, awarded, _ = _published(Level.QIANAN)
    tangshan, nominated, _ = _published(Level.TANGSHAN)

    both = client.get(reverse("pilots:index")).content.decode()
    only_tangshan = client.get(reverse("pilots:index"), {"level": "tangshan"}).content.decode()
    by_year = client.get(reverse("pilots:index"), {"year": qianan.year}).content.decode()

    qianan_title, tangshan_title = escape(qianan.display_title), escape(tangshan.display_title)
    assert qianan_title in both and tangshan_title in both
    assert tangshan_title in only_tangshan and qianan_title not in only_tangshan
    assert qianan_title in by_year and tangshan_title not in by_year
    assert str(awarded.total) in both
    assert reverse("pilots:certificate", args=[awarded.pk]) in both
    assert reverse("pilots:certificate", args=[nominated.pk]) not in both  # awaits Tangshan


def test_the_certificate_of_an_awarded_unit_prints(client):
    pilot_round, awarded, _ = _published(Level.QIANAN)

    response = client.get(reverse("pilots:certificate", args=[awarded.pk]))

    page = response.content.decode()
    assert response.status_code == 200
    assert awarded.application.employer.name in page
    assert "@media print" in page and "@page" in page
    assert f"was selected in {pilot_round.year} as a Qian'an city-level" in page


def test_a_nominated_unit_gets_its_certificate_once_tangshan_approves(client, union_staff):
    _round, nominated, _ = _published(Level.TANGSHAN)
    url = reverse("pilots:certificate", args=[nominated.pk])
    assert client.get(url).status_code == 404

    services.result_record_decision(
        result=nominated, actor=union_staff, decision="approved", decided_on=timezone.localdate()
    )

    assert client.get(url).status_code == 200


def test_units_not_recommended_or_not_yet_published_have_no_certificate(client, in_publicity):
    _pilot_round, top, _other = in_publicity
    _published_round, _awarded, not_recommended = _published()

    for result in (UnitResult.objects.get(application=top), not_recommended):
        assert client.get(reverse("pilots:certificate", args=[result.pk])).status_code == 404


# Reviewer pages


@pytest.fixture
def my_sheet(employer):
    pilot_round = scoring_round()
    application = apply(pilot_round, employer)
    return assign(application)


def test_the_reviewer_home_lists_only_my_assignments(client, my_sheet, other_employer):
    someone_else = assign(apply(my_sheet.application.round, other_employer))
    client.force_login(my_sheet.reviewer)

    page = client.get(reverse("pilots:reviewer-home")).content.decode()

    assert my_sheet.application.employer.name in page
    assert someone_else.application.employer.name not in page


def test_the_reviewer_pages_are_for_reviewers(client, my_sheet):
    assert client.get(reverse("pilots:reviewer-home")).status_code == 302
    client.force_login(UserFactory(role=Role.PARENT))

    assert client.get(reverse("pilots:reviewer-home")).status_code == 403
    assert client.get(reverse("pilots:reviewer-assignment", args=[my_sheet.pk])).status_code == 403


def test_the_sheet_shows_the_indicators_and_the_evidence_links(client, employer):
    pilot_round = open_round(simple=True)
    application = apply(pilot_round, employer)
    evidence = upload_evidence(
        pilot_round, items_by_title(pilot_round)["I1"], PNG, application=application
    )
    mine = assign(application)
    services.round_open_scoring(round=pilot_round, actor=None)
    client.force_login(mine.reviewer)

    page = client.get(reverse("pilots:reviewer-assignment", args=[mine.pk])).content.decode()

    assert reverse("pilots:evidence-file", args=[evidence.pk]) in page
    assert "Classes within the national staff ratios" in page
    assert 'name="score_' in page


def test_a_reviewer_saves_then_confirms_and_submits_then_the_sheet_is_read_only(client, my_sheet):
    items = items_by_title(my_sheet.application.round)
    client.force_login(my_sheet.reviewer)
    url = reverse("pilots:reviewer-assignment", args=[my_sheet.pk])
    data = {f"score_{items[t].pk}": v for t, v in sheet(8, 7, 8, 7, 4).items()}

    saved = client.post(url, {**data, "submit": "1"})
    confirm = client.get(reverse("pilots:reviewer-submit", args=[my_sheet.pk]))
    submitted = client.post(reverse("pilots:reviewer-submit", args=[my_sheet.pk]))
    after = client.get(url).content.decode()

    assert saved.status_code == 302 and saved["Location"].endswith("/submit/")
    assert (
        "Once submitted, your scores and comments can no longer change." in confirm.content.decode()
    )
    assert "75.50" in confirm.content.decode()
    assert submitted.status_code == 302
    assert ReviewerAssignment.objects.get(pk=my_sheet.pk).submitted_at is not None
    assert 'name="score_' not in after and "this sheet is locked" in after


def test_a_score_above_the_maximum_is_shown_on_the_sheet(client, my_sheet):
    item = items_by_title(my_sheet.application.round)["M2"]
    client.force_login(my_sheet.reviewer)

    response = client.post(
        reverse("pilots:reviewer-assignment", args=[my_sheet.pk]), {f"score_{item.pk}": "6"}
    )

    assert response.status_code == 200
    assert "Ensure this value is less than or equal to 5" in response.content.decode()
    assert not ItemScore.objects.exists()


def test_an_incomplete_sheet_cannot_be_submitted_from_the_confirmation_page(client, my_sheet):
    client.force_login(my_sheet.reviewer)

    response = client.post(reverse("pilots:reviewer-submit", args=[my_sheet.pk]))

    assert response.status_code == 200
    assert "Score every item before submitting" in response.content.decode()
    assert ReviewerAssignment.objects.get(pk=my_sheet.pk).submitted_at is None


def test_waiting_assignments_show_when_scoring_opens(client, employer):
    pilot_round = open_round(simple=True, scoring_opens_on=timezone.localdate() + timedelta(20))
    mine = assign(apply(pilot_round, employer))
    client.force_login(mine.reviewer)

    page = client.get(reverse("pilots:reviewer-home")).content.decode()

    assert f"Scoring opens on {pilot_round.scoring_opens_on:%Y-%m-%d}." in page
