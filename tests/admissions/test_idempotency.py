"""Idempotency-Key: concurrent requests with one key make one application."""

import threading

import pytest
from django.db import connection
from django.urls import reverse
from rest_framework.test import APIClient

from apps.admissions.models import Application
from apps.core.models import IdempotencyRecord
from apps.employers.pricing import format_month
from tests.admissions.factories import family, place, start_month

State = Application.State


@pytest.mark.django_db(transaction=True)
def test_concurrent_requests_with_the_same_key_create_one_application():
    setting = place(capacity=5)
    kin = family(setting.employer)
    data = {
        "child": kin.child.pk,
        "programme": setting.programme.pk,
        "centre": setting.centre.pk,
        "age_class": setting.age_class,
        "start_month": format_month(start_month()),
    }
    barrier = threading.Barrier(4)
    responses, lock = [], threading.Lock()

    def send():
        client = APIClient()
        client.force_authenticate(kin.user)
        try:
            barrier.wait()
            response = client.post(
                reverse("api-application-list"), data, format="json", HTTP_IDEMPOTENCY_KEY="k"
            )
            with lock:
                responses.append((response.status_code, response.json()["id"]))
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    created = Application.objects.get()
    assert responses == [(201, created.pk)] * 4
    assert IdempotencyRecord.objects.count() == 1


@pytest.mark.django_db
def test_an_over_long_key_is_refused_naming_the_header():
    setting = place()
    kin = family(setting.employer)
    client = APIClient()
    client.force_authenticate(kin.user)

    response = client.post(
        reverse("api-application-list"), {}, format="json", HTTP_IDEMPOTENCY_KEY="x" * 201
    )

    assert (response.status_code, list(response.json()["fields"])) == (400, ["Idempotency-Key"])
    assert IdempotencyRecord.objects.count() == 0


@pytest.mark.django_db
def test_old_records_are_purged():
    from datetime import timedelta

    from django.utils import timezone

    from apps.core.idempotency import idempotency_records_purge

    setting = place()
    kin = family(setting.employer)
    old = IdempotencyRecord.objects.create(
        user=kin.user, key="old", fingerprint="f", status_code=201, response={}
    )
    IdempotencyRecord.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - timedelta(days=3)
    )
    IdempotencyRecord.objects.create(
        user=kin.user, key="new", fingerprint="f", status_code=201, response={}
    )

    assert idempotency_records_purge() == 1
    assert list(IdempotencyRecord.objects.values_list("key", flat=True)) == ["new"]
