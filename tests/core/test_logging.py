import json
import logging
import subprocess
import sys

import pytest

from apps.core.logging import JsonLineFormatter, RequestIdFilter
from tests.conftest import ROOT

DESIGN_KEYS = {"ts", "level", "logger", "event", "request_id"}


def test_a_log_line_of_the_running_program_is_json_with_the_design_keys():
    code = "import logging; logging.getLogger('apps.demo').warning('payout run %s started', 7)"
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env={"DEBUG": "1", "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=60,
    )

    line = json.loads(result.stderr.strip().splitlines()[-1])
    assert set(line) >= DESIGN_KEYS
    assert line["level"] == "WARNING"
    assert line["logger"] == "apps.demo"
    assert line["event"] == "payout run 7 started"


@pytest.mark.django_db
def test_a_request_carries_its_id_into_the_response_and_the_log(client, caplog):
    formatter, request_filter = JsonLineFormatter(), RequestIdFilter()
    with caplog.at_level(logging.INFO):
        response = client.get("/no-such-page/", HTTP_X_REQUEST_ID="req-abc-123")

    assert response["X-Request-ID"] == "req-abc-123"
    record = next(r for r in caplog.records if r.name == "django.request")
    request_filter.filter(record)
    assert json.loads(formatter.format(record))["request_id"] == "req-abc-123"


@pytest.mark.django_db
def test_a_forged_request_id_is_replaced(client):
    response = client.get("/", HTTP_X_REQUEST_ID='bad"\ninjected')

    assert response["X-Request-ID"] != 'bad"\ninjected'
    assert len(response["X-Request-ID"]) == 32


def test_a_log_line_never_carries_a_raw_id_mobile_or_account_number():
    record = logging.LogRecord(
        "apps.demo",
        logging.WARNING,
        __file__,
        1,
        "import failed for %s (%s), card %s",
        ("11010519491231002X", "13812345678", "6222020200112233445"),
        None,
    )

    line = JsonLineFormatter().format(record)

    assert "11010519491231002X" not in line
    assert "13812345678" not in line
    assert "6222020200112233445" not in line
    assert json.loads(line)["event"] == (
        "import failed for 1101**********002X (138****5678), card 6222***********3445"
    )
