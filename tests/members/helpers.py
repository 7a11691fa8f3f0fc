"""Helpers shared by the members and employers tests."""

import json
from collections.abc import Callable

from django.apps import apps
from django.contrib.auth.models import AnonymousUser
from django.core.serializers.json import DjangoJSONEncoder

from apps.core.models import AuditRecord

ROW_COUNTS = (1, 30)


def assert_queries_do_not_grow(
    django_assert_max_num_queries,
    *,
    build: Callable[[int], None],
    fetch: Callable[[], object],
    max_queries: int,
    shown: Callable[[object], int] | None = None,
) -> list[int]:
    """Build 1 then 30 rows (`build(total)` tops up to `total`), fetch each time and assert the
    same number of queries, at most `max_queries`. Returns the two counts."""
    counts = []
    for total in ROW_COUNTS:
        build(total)
        fetch()  # warm per-process caches (content types, site) so both runs start equal
        with django_assert_max_num_queries(max_queries) as captured:
            response = fetch()
        assert response.status_code == 200
        if shown is not None:
            assert shown(response) == total
        counts.append(len(captured))
    assert counts[0] == counts[1], f"queries grew with rows: {counts}"
    return counts


def top_up(factory, total: int, **kwargs) -> Callable[[int], None]:
    """A `build` for assert_queries_do_not_grow: create rows with `factory` until `total`."""
    made: list = []

    def build(wanted: int) -> None:
        while len(made) < wanted:
            made.append(factory(**kwargs))

    return build


def login(api_client, user):
    if user is not None and not isinstance(user, AnonymousUser):
        api_client.force_authenticate(user)
    return api_client


def audit_and_history_text() -> str:
    """Every audit record and every Historical* row, as one text to search for plain PII."""
    rows: list = list(AuditRecord.objects.values())
    for model in apps.get_models():
        if model.__name__.startswith("Historical"):
            rows.extend(model.objects.values())
    return json.dumps(rows, cls=DjangoJSONEncoder, ensure_ascii=False)


ACTORS = [
    "anonymous",
    "parent",
    "other_parent",
    "employer_admin",
    "other_employer_admin",
    "centre_admin",
    "reviewer",
    "union_staff",
]
