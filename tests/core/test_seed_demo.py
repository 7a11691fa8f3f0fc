import subprocess
import sys

import pytest
from django.core.management import call_command

from apps.accounts.models import User
from apps.core.models import AuditRecord
from tests.conftest import ROOT

pytestmark = pytest.mark.django_db

DEMO_USERNAMES = {
    "union_staff",
    "union_staff2",
    "employer_admin",
    "centre_admin",
    "parent",
    "parent2",
    "reviewer",
}


def test_seed_demo_creates_the_demo_accounts_with_the_demo_password(settings):
    settings.DEBUG = True
    call_command("seed_demo")

    # Besides these the demo has many more families (their applications fill the waiting lists).
    demo_accounts = User.objects.filter(username__in=DEMO_USERNAMES)
    assert set(demo_accounts.values_list("username", flat=True)) == DEMO_USERNAMES
    assert all(user.check_password("demo-pass-2026") for user in demo_accounts)
    assert User.objects.get(username="union_staff").is_staff


def test_seed_demo_twice_changes_nothing(settings):
    settings.DEBUG = True
    call_command("seed_demo")
    before = (User.objects.count(), AuditRecord.objects.count())

    call_command("seed_demo")

    assert (User.objects.count(), AuditRecord.objects.count()) == before


def test_seed_demo_refuses_with_debug_off_unless_forced():
    env = {
        "DEBUG": "0",
        "PATH": "/usr/bin:/bin",
        "SECRET_KEY": "k" * 60,
        "PII_HASH_KEY": "h",
        "PII_ENCRYPTION_KEY": "cHJvZC1saWtlLXBpaS1rZXktMzItYnl0ZXMtMDAwMDA=",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "seed_demo"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode == 1
    assert "refuses to run with DEBUG=0" in result.stderr
