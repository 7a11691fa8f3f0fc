"""The rubric: the template, editing until scoring opens, and a frozen rubric behind every door."""

import json
from decimal import Decimal

import pytest
from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse

from apps.core.models import AuditRecord
from apps.pilots import services
from apps.pilots.errors import PilotError
from apps.pilots.models import EvaluationRound, RubricDimension, RubricItem
from tests.pilots.factories import SIMPLE_RUBRIC, make_round, open_round, start_scoring

pytestmark = pytest.mark.django_db


def _snapshot(pilot_round):
    dimensions = list(
        RubricDimension.objects.filter(round=pilot_round)
        .order_by("id")
        .values_list("code", "weight")
    )
    items = list(
        RubricItem.objects.filter(round=pilot_round)
        .order_by("id")
        .values_list("id", "dimension_id", "title", "max_score", "position")
    )
    return dimensions, items


@pytest.fixture
def frozen_round():
    return start_scoring(open_round())


def test_the_template_has_the_four_dimensions_weighing_100_with_four_to_six_items_each():
    template = json.loads((settings.BASE_DIR / "fixtures" / "pilot_rubric.json").read_text())
    dimensions = template["dimensions"]

    assert [d["code"] for d in dimensions] == [
        "infrastructure",
        "staffing",
        "activities",
        "management",
    ]
    assert [d["name"] for d in dimensions] == ["基础设施", "师资配备", "活动开展", "托育管理"]
    assert sum(Decimal(d["weight"]) for d in dimensions) == 100
    assert all(4 <= len(d["items"]) <= 6 for d in dimensions)
    assert all(Decimal(i["max_score"]) > 0 for d in dimensions for i in d["items"])


def test_a_new_round_gets_a_copy_of_the_template():
    pilot_round = make_round()

    assert list(pilot_round.dimensions.values_list("code", "weight")) == [
        ("infrastructure", Decimal("25.00")),
        ("staffing", Decimal("25.00")),
        ("activities", Decimal("20.00")),
        ("management", Decimal("30.00")),
    ]
    assert RubricItem.objects.filter(round=pilot_round).count() == 20


def test_union_staff_replace_the_rubric_while_applications_are_open_keeping_item_ids():
    pilot_round = open_round()
    kept = RubricItem.objects.filter(round=pilot_round, dimension__code="management").first()
    rubric = [dict(d) for d in SIMPLE_RUBRIC]
    rubric[3] = {**rubric[3], "items": [{"id": kept.pk, "title": "M1", "max_score": "12"}]}

    services.rubric_replace(round=pilot_round, dimensions=rubric, actor=None)

    assert RubricItem.objects.filter(round=pilot_round).count() == 4
    kept.refresh_from_db()
    assert (kept.title, kept.max_score) == ("M1", Decimal("12.00"))
    assert AuditRecord.objects.filter(action="pilot_rubric.replace").count() == 1


def test_opening_scoring_is_refused_while_the_weights_do_not_add_up_to_100():
    pilot_round = open_round()
    dimension = pilot_round.dimensions.get(code="activities")
    services.rubric_dimension_set_weight(dimension=dimension, weight="30", actor=None)

    with pytest.raises(PilotError) as refusal:
        services.round_open_scoring(round=pilot_round, actor=None)

    assert refusal.value.code == "rubric_invalid"
    assert refusal.value.fields["weights"] == [
        "The dimension weights add up to 110; they must add up to 100."
    ]
    pilot_round.refresh_from_db()
    assert (pilot_round.status, pilot_round.rubric_frozen_at) == ("open", None)


def test_opening_scoring_freezes_the_rubric():
    pilot_round = start_scoring(open_round())

    assert pilot_round.status == EvaluationRound.Status.SCORING
    assert pilot_round.rubric_frozen


@pytest.mark.parametrize(
    "write",
    [
        lambda r: services.rubric_replace(round=r, dimensions=SIMPLE_RUBRIC, actor=None),
        lambda r: services.rubric_dimension_set_weight(
            dimension=r.dimensions.first(), weight="40", actor=None
        ),
        lambda r: services.rubric_item_save(
            round=r, dimension=r.dimensions.first(), title="New", max_score="5", actor=None
        ),
        lambda r: services.rubric_item_save(
            round=r,
            dimension=r.dimensions.first(),
            item=RubricItem.objects.filter(round=r).first(),
            title="Changed",
            max_score="5",
            actor=None,
        ),
        lambda r: services.rubric_item_delete(
            item=RubricItem.objects.filter(round=r).first(), actor=None
        ),
    ],
    ids=["replace", "weight", "add item", "change item", "delete item"],
)
def test_a_frozen_rubric_cannot_be_changed_through_the_services(frozen_round, write):
    before = _snapshot(frozen_round)

    with pytest.raises(PilotError) as refusal:
        write(frozen_round)

    assert (refusal.value.code, refusal.value.status_code) == ("rubric_frozen", 409)
    assert _snapshot(frozen_round) == before


def test_a_frozen_rubric_cannot_be_changed_through_the_api(frozen_round, api_client, union_staff):
    api_client.force_authenticate(union_staff)
    before = _snapshot(frozen_round)

    response = api_client.put(
        reverse("api-pilot-round-rubric", args=[frozen_round.pk]),
        {"dimensions": SIMPLE_RUBRIC},
        format="json",
    )

    assert response.status_code == 409
    assert response.json()["code"] == "rubric_frozen"
    assert _snapshot(frozen_round) == before


def _admin_post(pilot_round, *, title="Changed", weight="40") -> dict:
    dimensions = list(RubricDimension.objects.filter(round=pilot_round).order_by("position"))
    items = list(RubricItem.objects.filter(round=pilot_round).order_by("id"))
    data = {
        "year": pilot_round.year,
        "level": pilot_round.level,
        "title": pilot_round.title,
        "places": pilot_round.places,
        "applications_open_on": pilot_round.applications_open_on,
        "applications_close_on": pilot_round.applications_close_on,
        "scoring_opens_on": pilot_round.scoring_opens_on,
        "scoring_closes_on": pilot_round.scoring_closes_on,
        "dimensions-TOTAL_FORMS": len(dimensions),
        "dimensions-INITIAL_FORMS": len(dimensions),
        "items-TOTAL_FORMS": len(items),
        "items-INITIAL_FORMS": len(items),
    }
    for n, dimension in enumerate(dimensions):
        data |= {f"dimensions-{n}-id": dimension.pk, f"dimensions-{n}-round": pilot_round.pk}
        data[f"dimensions-{n}-weight"] = weight
    for n, item in enumerate(items):
        data |= {
            f"items-{n}-id": item.pk,
            f"items-{n}-round": pilot_round.pk,
            f"items-{n}-dimension": item.dimension_id,
            f"items-{n}-title": title,
            f"items-{n}-max_score": "9",
            f"items-{n}-position": item.position,
            f"items-{n}-guidance": "",
        }
    return data


def test_a_frozen_rubric_cannot_be_changed_through_the_admin(frozen_round, client, union_staff):
    client.force_login(union_staff)
    before = _snapshot(frozen_round)
    url = reverse("admin:pilots_evaluationround_change", args=[frozen_round.pk])

    response = client.post(url, _admin_post(frozen_round))

    assert response.status_code == 302
    assert _snapshot(frozen_round) == before


def _with_a_deletion_and_a_new_item(data: dict, pilot_round) -> dict:
    new = data["items-TOTAL_FORMS"]
    return data | {
        "items-0-DELETE": "on",
        "items-TOTAL_FORMS": new + 1,
        f"items-{new}-round": pilot_round.pk,
        f"items-{new}-dimension": RubricDimension.objects.filter(round=pilot_round).first().pk,
        f"items-{new}-title": "Sneaked in",
        f"items-{new}-max_score": "5",
        f"items-{new}-position": 99,
        f"items-{new}-guidance": "",
    }


def test_a_frozen_rubric_loses_no_item_and_gains_none_through_the_admin(
    frozen_round, client, union_staff
):
    client.force_login(union_staff)
    before = _snapshot(frozen_round)
    url = reverse("admin:pilots_evaluationround_change", args=[frozen_round.pk])

    client.post(url, _with_a_deletion_and_a_new_item(_admin_post(frozen_round), frozen_round))

    assert _snapshot(frozen_round) == before


def test_union_staff_edit_the_rubric_inline_in_the_admin_before_it_is_frozen(client, union_staff):
    pilot_round = open_round()
    client.force_login(union_staff)
    url = reverse("admin:pilots_evaluationround_change", args=[pilot_round.pk])

    response = client.post(url, _admin_post(pilot_round, title="改过的条目", weight="25"))

    assert response.status_code == 302
    assert set(RubricItem.objects.filter(round=pilot_round).values_list("title", "max_score")) == {
        ("改过的条目", Decimal("9.00"))
    }
    assert AuditRecord.objects.filter(action="pilot_rubric.item_change").count() == 20


@pytest.mark.parametrize(
    "write",
    [
        lambda r: RubricItem.objects.filter(round=r).update(max_score=99),
        lambda r: RubricDimension.objects.filter(round=r).update(weight=50),
        lambda r: RubricItem.objects.filter(round=r).first().delete(),
        lambda r: RubricItem.objects.create(
            round=r, dimension=r.dimensions.first(), title="Sneaked in", max_score=5
        ),
        lambda r: EvaluationRound.objects.filter(pk=r.pk).update(rubric_frozen_at=None),
    ],
    ids=["update items", "update weights", "delete item", "insert item", "unfreeze"],
)
def test_a_frozen_rubric_cannot_be_changed_even_in_the_database(frozen_round, write):
    before = _snapshot(frozen_round)

    with pytest.raises(IntegrityError, match="frozen"), transaction.atomic():
        write(frozen_round)

    assert _snapshot(frozen_round) == before
    assert EvaluationRound.objects.get(pk=frozen_round.pk).rubric_frozen


def test_an_item_with_evidence_attached_cannot_be_removed():
    from tests.pilots.test_evidence import PNG, upload_evidence

    pilot_round = open_round()
    item = RubricItem.objects.filter(round=pilot_round).first()
    upload_evidence(pilot_round, item, PNG)

    with pytest.raises(PilotError, match="cannot be removed"):
        services.rubric_item_delete(item=item, actor=None)

    assert RubricItem.objects.filter(pk=item.pk).exists()
