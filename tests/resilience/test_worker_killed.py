"""A Celery worker killed (SIGKILL) in the middle of a roster import leaves no partial roster:
the rows are checked outside any transaction and written in one, which PostgreSQL rolls back
when the worker's connection drops. Running the import again then completes it exactly once."""

import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse

from apps.core.spreadsheets import write_xlsx
from apps.employers.benchmarks import roster_rows
from apps.employers.models import RosterEntry, RosterImport
from apps.employers.services import roster as services
from apps.employers.services.roster_rows import TEMPLATE_HEADERS
from qianan_tuoyu.celery import app as celery_app
from tests.employers.factories import EmployerAdminFactory

ROWS = 10_000
pytestmark = [pytest.mark.worker, pytest.mark.slow]


def _writing_backends() -> list[int]:
    """Backends of this database inside a transaction that has copied roster entries."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
            "AND pid <> pg_backend_pid() AND xact_start IS NOT NULL "
            "AND query ILIKE 'COPY %%employers_rosterentry%%'"
        )
        return [pid for (pid,) in cursor.fetchall()]


def _backend_gone(pids: list[int], timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE pid = ANY(%s)", [pids])
            if cursor.fetchone()[0] == 0:
                return
        time.sleep(0.05)
    raise AssertionError(f"the killed worker's backends {pids} are still there")


@pytest.fixture
def import_on_a_real_worker(celery_worker, api_client, monkeypatch):
    def start():
        worker = celery_worker()
        monkeypatch.setitem(celery_app.conf, "task_default_queue", worker.queue)
        link = EmployerAdminFactory()
        api_client.force_authenticate(link.user)
        upload = SimpleUploadedFile("roster.xlsx", write_xlsx(TEMPLATE_HEADERS, roster_rows(ROWS)))
        assert upload.size > services.INLINE_MAX_BYTES  # goes to the worker, not inline
        response = api_client.post(
            reverse("api-employer-roster-imports", args=[link.employer.pk]),
            {"file": upload},
            format="multipart",
        )
        assert response.status_code == 202, response.content[:500]
        return worker, link.employer, RosterImport.objects.get(pk=response.json()["id"])

    return start


def _wait_for(condition, what: str, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.005)
    raise AssertionError(f"timed out waiting for {what}")


def test_a_worker_killed_while_checking_rows_leaves_no_roster_entry(import_on_a_real_worker):
    worker, employer, started = import_on_a_real_worker()
    _wait_for(
        lambda: RosterImport.objects.filter(
            pk=started.pk, status=RosterImport.Status.RUNNING, rows_done__gt=0
        ).exists(),
        "the worker to be part-way through checking",
    )

    worker.stop(kill=True)

    assert RosterImport.objects.get(pk=started.pk).rows_done < ROWS
    assert not RosterEntry.objects.filter(employer=employer).exists()


def test_a_worker_killed_while_writing_entries_leaves_none_and_a_rerun_writes_each_once(
    import_on_a_real_worker,
):
    worker, employer, started = import_on_a_real_worker()
    pids: list[int] = []
    _wait_for(lambda: pids.extend(_writing_backends()) or bool(pids), "the worker's COPY")

    worker.stop(kill=True)
    _backend_gone(pids)

    assert not RosterEntry.objects.filter(employer=employer).exists()
    assert RosterImport.objects.get(pk=started.pk).status == RosterImport.Status.RUNNING
    # The task is redelivered (acks_late); here the same run is repeated in-process.
    done = services.roster_import_run(roster_import_id=started.pk)
    assert done.status == RosterImport.Status.DONE
    assert RosterEntry.objects.filter(employer=employer).count() == ROWS
