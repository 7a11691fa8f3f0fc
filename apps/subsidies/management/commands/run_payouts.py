"""`manage.py run_payouts --period 2026-10 [--wait]`: start the period's payout run, or resume its
unfinished run instead of starting another; with --wait, follow it until it is calculated."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError

from apps.accounts.models import Role, User
from apps.core.errors import DomainError
from apps.employers.pricing import parse_month
from apps.subsidies.models import PayoutRun
from apps.subsidies.services import payouts
from apps.subsidies.services.payout_calculation import CHUNK_SIZE


class Command(BaseCommand):
    help = "Start (or resume) the payout run of a period on the Celery workers."

    def add_arguments(self, parser):
        parser.add_argument("--period", required=True, help="the month paid, YYYY-MM")
        parser.add_argument("--kind", choices=PayoutRun.Kind.values, default=PayoutRun.Kind.MONTHLY)
        parser.add_argument("--wait", action="store_true", help="wait until it is calculated")
        parser.add_argument("--user", help="the union staff account starting it (audited)")
        parser.add_argument("--timeout", type=int, default=3600, help="seconds to wait at most")
        parser.add_argument("--chunk-size", type=int, default=CHUNK_SIZE)
        parser.add_argument("--queue", help="the Celery queue for its tasks (default queue)")

    def handle(self, *args, period: str, kind: str, wait: bool, user: str | None, **options):
        try:
            month = parse_month(period)
        except ValueError:
            raise CommandError("--period: give the month as YYYY-MM, e.g. 2026-10.") from None
        actor = self._actor(user)
        try:
            run, created = payouts.payout_run_start(
                kind=kind,
                period=month,
                actor=actor,
                chunk_size=options["chunk_size"],
                queue=options["queue"],
            )
            if not created and run.status == PayoutRun.Status.CALCULATING:
                run = payouts.payout_run_resume(run=run, actor=actor, queue=options["queue"])
                self.stdout.write(f"Resuming payout run {run.pk}.")
            elif created:
                self.stdout.write(f"Started payout run {run.pk}.")
        except DomainError as error:
            raise CommandError(error.message) from None
        self._report(run)
        if wait:
            self._wait(run, timeout=options["timeout"])

    def _actor(self, username: str | None) -> User | None:
        if not username:
            return None
        actor = User.objects.filter(username=username, role=Role.UNION_STAFF).first()
        if actor is None:
            raise CommandError(f"--user: no union staff account named {username}.")
        return actor

    def _report(self, run: PayoutRun) -> None:
        self.stdout.write(
            f"Payout run {run.pk} ({run.kind} {run.period:%Y-%m}): {run.status}, "
            f"{run.chunks_done}/{run.chunks_total} chunks, payable {run.total_amount}, "
            f"held {run.held_amount}."
        )

    def _wait(self, run: PayoutRun, *, timeout: int) -> None:
        deadline, shown = time.monotonic() + timeout, None
        while run.status == PayoutRun.Status.CALCULATING:
            if time.monotonic() > deadline:
                raise CommandError(f"Payout run {run.pk} is still calculating; run again later.")
            if payouts.is_stuck(run):
                raise CommandError(
                    f"Payout run {run.pk} made no progress for 10 minutes: are the workers "
                    "running? Run this command again to resume it."
                )
            if shown != run.chunks_done:
                shown = run.chunks_done
                self.stdout.write(f"  {run.chunks_done}/{run.chunks_total} chunks")
            time.sleep(0.5)
            run.refresh_from_db()
        self._report(run)
