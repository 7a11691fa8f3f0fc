"""The main journeys, with every log record they emit captured and written as the log line the
portal would write: no raw resident ID, mobile or bank account number may appear in any."""

import logging

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from apps.admissions.models import Application
from apps.core.logging import JsonLineFormatter, RequestIdFilter
from apps.employers.pricing import format_month
from tests.accounts.factories import PASSWORD
from tests.admissions.factories import centre_admin, employer_admin, family, place, start_month

pytestmark = pytest.mark.django_db

ACCOUNT_NUMBER = "6222020200112233445"


def signed_in(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def log_lines(records) -> list[str]:
    formatter, request_filter = JsonLineFormatter(), RequestIdFilter()
    lines = []
    for record in records:
        request_filter.filter(record)
        lines.append(formatter.format(record))
    return lines


def run_the_main_journeys(setting, kin) -> None:
    parent = signed_in(kin.user)
    applied = parent.post(
        reverse("api-application-list"),
        {
            "child": kin.child.pk,
            "programme": setting.programme.pk,
            "centre": setting.centre.pk,
            "age_class": setting.age_class,
            "start_month": format_month(start_month()),
        },
        format="json",
    )
    assert applied.status_code == 201
    application = Application.objects.get(pk=applied.json()["id"])
    assert application.state == Application.State.OFFERED
    parent.post(reverse("api-application-accept", args=[application.pk]), format="json")
    # Refusals and mistakes are what gets logged: a wrong password, a bad mobile, a bad account.
    parent.patch(
        reverse("api-member-me"),
        {"mobile": kin.member.mobile, "password": "not-my-password"},
        format="json",
    )
    parent.patch(reverse("api-member-me"), {"mobile": f"{kin.member.id_number}"}, format="json")
    parent.post(
        reverse("api-bank-account-list"),
        {
            "bank_name": "中国工商银行迁安支行",
            "account_name": kin.member.full_name,
            "account_number": ACCOUNT_NUMBER,
        },
        format="json",
    )
    parent.post(
        reverse("api-bank-account-list"),
        {"bank_name": "x", "account_name": "x", "account_number": f"{ACCOUNT_NUMBER}999999999999"},
        format="json",
    )
    signed_in(employer_admin(setting.employer)).get(reverse("api-application-list"))
    signed_in(centre_admin(setting.centre)).get(reverse("api-application-list"))
    # Someone signing in with the resident ID number as the user name, and a wrong password.
    APIClient().post(reverse("api-token"), {"username": kin.member.id_number, "password": PASSWORD})
    APIClient().post(reverse("api-token"), {"username": kin.user.username, "password": "wrong"})
    # Another centre's admin asking for this application: a refused access, which is logged.
    signed_in(centre_admin(place().centre)).get(
        reverse("api-application-detail", args=[application.pk]) + "?mobile=" + kin.member.mobile
    )


def test_no_log_line_of_the_main_journeys_holds_a_raw_id_mobile_or_account_number(caplog):
    setting = place()
    kin = family(setting.employer)
    secrets = {
        "parent's ID number": kin.member.id_number,
        "parent's mobile": kin.member.mobile,
        "child's ID number": kin.child.id_number,
        "bank account": ACCOUNT_NUMBER,
    }

    with caplog.at_level(logging.DEBUG):
        run_the_main_journeys(setting, kin)

    lines = log_lines(caplog.records)
    assert len(lines) >= 5  # the refusals above were logged at all
    leaks = {
        name for name, value in secrets.items() if value and any(value in line for line in lines)
    }
    assert leaks == set()
