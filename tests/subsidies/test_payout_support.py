"""Builders shared by the payout tests, and a URLconf serving the payout pages and endpoints even
before the project's urls.py includes them (it then adds nothing)."""

from __future__ import annotations

import threading
from datetime import date
from decimal import Decimal

from django.db import connection
from django.urls import NoReverseMatch, include, path, reverse

from apps.admissions.models import Attendance, Enrolment
from apps.subsidies.api.payouts import urlpatterns as payout_api
from apps.subsidies.models import BankAccount, PayoutLine, PayoutRun
from apps.subsidies.services import payout_calculation
from apps.subsidies.services.payouts import payout_run_start
from qianan_tuoyu import urls as project_urls
from tests.members.factories import MemberFactory
from tests.subsidies.factories import (
    BankAccountFactory,
    BudgetFactory,
    ProgrammeFactory,
    SchemeFactory,
    enrol,
)

URLCONF = __name__
PERIOD = date(2026, 10, 1)


def _wired(name: str, **kwargs) -> bool:
    try:
        reverse(name, urlconf=project_urls, kwargs=kwargs or None)
    except NoReverseMatch:
        return False
    return True


urlpatterns = list(project_urls.urlpatterns)
if not _wired("payout-run-list"):
    urlpatterns.insert(0, path("", include("apps.subsidies.urls_payouts")))
if not _wired("api-payout-run-list"):
    urlpatterns.insert(0, path("api/v1/", include(payout_api)))


def test_support_urlconf_serves_the_payout_pages_and_endpoints():
    names = ["payout-run-list", "api-payout-run-list"]

    assert [reverse(name, urlconf=URLCONF).startswith("/") for name in names] == [True, True]


# Builders (the subsidies factories make schemes, budgets, accounts and enrolments)


def attendance(the_enrolment: Enrolment, days_attended: int, *, month: date = PERIOD):
    return Attendance.objects.create(
        enrolment=the_enrolment, month=month, days_open=22, days_attended=days_attended
    )


def account(**owner):
    """A checked, current account of one owner (member=, centre= or employer=)."""
    owner = {"member": None, **owner}
    return BankAccountFactory(status=BankAccount.Status.CHECKED, **owner)


def start(kind: str = "monthly", *, period: date = PERIOD, actor=None, chunk_size: int = 5000):
    run, _created = payout_run_start(kind=kind, period=period, actor=actor, chunk_size=chunk_size)
    return run


def compute(run: PayoutRun) -> PayoutRun:
    """Run every chunk and the final step in this process, as the workers would."""
    for chunk in run.chunks.order_by("number"):
        payout_calculation.payout_chunk_compute(chunk_id=chunk.pk)
    payout_calculation.payout_run_finalize(run_id=run.pk)
    run.refresh_from_db()
    return run


def line_snapshot(run: PayoutRun) -> list[tuple]:
    """The run's lines as comparable values (ids differ between runs; these must not)."""
    return sorted(
        PayoutLine.objects.filter(run=run).values_list(
            "scheme_id", "subject", "amount", "status", "days_enrolled", "payee_kind"
        )
    )


def in_threads(target, count: int, *args) -> list:
    """Run `target(*args)` in `count` threads at once, each on its own database connection."""
    barrier = threading.Barrier(count)
    results: list = [None] * count

    def run(index: int) -> None:
        try:
            barrier.wait()
            results[index] = target(*args)
        except Exception as error:  # noqa: BLE001 - reported back to the test thread
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def payable_scheme():
    """A scheme with budget and one enrolled child with a checked account and attendance."""
    programme = ProgrammeFactory()
    scheme = SchemeFactory(programmes=[programme])
    BudgetFactory(scheme=scheme, amount=Decimal("10000.00"))
    member = MemberFactory()
    account(member=member, account_number="6217000315000012345")
    attendance(enrol(programme=programme, applicant=member, subsidy_amount=Decimal("200.00")), 18)
    return scheme
