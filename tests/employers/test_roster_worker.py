"""A large roster goes to a real Celery worker; the progress endpoint follows it."""

import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from apps.core.spreadsheets import write_xlsx
from apps.employers.benchmarks import roster_rows
from apps.employers.models import RosterEntry
from apps.employers.services import roster as services
from apps.employers.services.roster_rows import TEMPLATE_HEADERS
from qianan_tuoyu.celery import app as celery_app
from tests.employers.factories import EmployerAdminFactory

ROWS = 10_000  # large enough that several progress updates are seen


@pytest.mark.worker
@pytest.mark.slow
def test_progress_reports_rows_done_of_rows_total_while_a_real_worker_imports(
    celery_worker, api_client, monkeypatch
):
    worker = celery_worker()
    # The worker listens on its own queue only; send the import task there.
    monkeypatch.setitem(celery_app.conf, "task_default_queue", worker.queue)
    link = EmployerAdminFactory()
    api_client.force_authenticate(link.user)
    upload = SimpleUploadedFile("roster.xlsx", write_xlsx(TEMPLATE_HEADERS, roster_rows(ROWS)))
    assert upload.size > services.INLINE_MAX_BYTES

    response = api_client.post(
        reverse("api-employer-roster-imports", args=[link.employer.pk]),
        {"file": upload},
        format="multipart",
    )

    assert response.status_code == 202
    url = reverse("api-roster-import-detail", args=[response.json()["id"]])
    seen = []
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        body = api_client.get(url).json()
        seen.append((body["status"], body["rows_done"], body["rows_total"]))
        if body["status"] in ("done", "failed"):
            break
        time.sleep(0.02)
    assert seen[-1] == ("done", ROWS, ROWS)
    in_between = [done for status, done, total in seen if status == "running" and total == ROWS]
    assert any(0 < done < ROWS for done in in_between), seen[:: max(1, len(seen) // 20)]
    assert in_between == sorted(in_between)  # it only moves forward
    assert RosterEntry.objects.filter(employer=link.employer).count() == ROWS
