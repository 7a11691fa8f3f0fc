import os
import shutil
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.utils import translation
from rest_framework.test import APIClient

from apps.accounts.models import Role
from apps.core.management.commands.benchmark import database_url
from tests.accounts.factories import UserFactory

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent

# One headless Chromium for the whole run, shared by every directory's browser tests.
pytest_plugins = ["tests.e2e.browser"]


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # PBKDF2's cost is the point in production and pure waiting in tests.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _own_rate_limit_counters(settings):
    # Every test counts from zero, whatever ran before it or beside it on the same Redis.
    settings.RATELIMIT_KEY_PREFIX = f"ratelimit-test-{uuid.uuid4().hex}"


@pytest.fixture
def english(settings):
    """Messages in their English source text, whatever translations the catalogue gains
    (`pytest.mark.usefixtures("english")`)."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def api_client() -> APIClient:
    return APIClient()


def _user(role: str, **kwargs):
    return UserFactory(role=role, **kwargs)


@pytest.fixture
def union_staff(db):
    return _user(Role.UNION_STAFF, username="staff_a")


@pytest.fixture
def union_staff2(db):
    return _user(Role.UNION_STAFF, username="staff_b")


@pytest.fixture
def employer_admin_user(db):
    return _user(Role.EMPLOYER_ADMIN)


@pytest.fixture
def centre_admin_user(db):
    return _user(Role.CENTRE_ADMIN)


@pytest.fixture
def parent_user(db):
    return _user(Role.PARENT)


@pytest.fixture
def other_parent_user(db):
    return _user(Role.PARENT)


@pytest.fixture
def reviewer_user(db):
    return _user(Role.REVIEWER)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def subprocess_env(**overrides: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update({"DEBUG": "1", "DATABASE_URL": database_url(), "PYTHONUNBUFFERED": "1"})
    env.update(overrides)
    return env


class CeleryWorker:
    """A real `celery worker` process on its own queue, so no other worker takes our tasks."""

    def __init__(self, *, queue: str, concurrency: int = 1, extra_env: dict | None = None):
        self.queue = queue
        self.nodename = f"test-{uuid.uuid4().hex[:8]}@localhost"
        self.log_path = ROOT / "var" / f"worker-{self.nodename.split('@')[0]}.log"
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        command = [
            str(VENV_BIN / "celery"),
            "-A",
            "qianan_tuoyu",
            "worker",
            "-Q",
            queue,
            "-n",
            self.nodename,
            f"--concurrency={concurrency}",
            "--loglevel=INFO",
            "--without-gossip",
            "--without-mingle",
        ]
        self._log = self.log_path.open("wb")
        self.process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=subprocess_env(**(extra_env or {})),
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def wait_ready(self, timeout: float = 30) -> None:
        from qianan_tuoyu.celery import app

        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"worker exited early: {self.log_path.read_text()[-2000:]}")
            if app.control.ping(destination=[self.nodename], timeout=0.5):
                return
        raise RuntimeError(f"worker did not answer a ping: {self.log_path.read_text()[-2000:]}")

    def stop(self, *, kill: bool = False) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, 9 if kill else 15)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, 9)
                self.process.wait()
        self._log.close()


@pytest.fixture
def celery_worker(transactional_db):
    """Start real worker processes for this test; stopped (killed if need be) at the end."""
    started: list[CeleryWorker] = []

    def start(*, queue: str | None = None, concurrency: int = 1) -> CeleryWorker:
        worker = CeleryWorker(
            queue=queue or f"test-{uuid.uuid4().hex[:8]}", concurrency=concurrency
        )
        started.append(worker)
        worker.wait_ready()
        return worker

    yield start
    for worker in started:
        worker.stop()


@pytest.fixture
def portal_server(django_db_blocker):
    """Start the portal under gunicorn with the given environment; yields a base URL factory."""
    servers: list[subprocess.Popen] = []

    def start(**env: str) -> str:
        port = free_port()
        gunicorn = shutil.which("gunicorn", path=str(VENV_BIN))
        process = subprocess.Popen(
            [
                gunicorn,
                "qianan_tuoyu.wsgi",
                "--config",
                "qianan_tuoyu/gunicorn.conf.py",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "1",
            ],
            cwd=ROOT,
            env=subprocess_env(**env),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        servers.append(process)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            with socket.socket() as sock:
                if sock.connect_ex(("127.0.0.1", port)) == 0:
                    return f"http://127.0.0.1:{port}"
            time.sleep(0.1)
        raise RuntimeError("gunicorn did not start")

    yield start
    for process in servers:
        os.killpg(process.pid, 15)
        process.wait(timeout=10)


def _restore_reference_rows() -> None:
    """Put back the reference rows the migrations loaded (areas, public holidays, statutory
    floors) if a flush removed them."""
    from importlib import import_module

    from django.apps import apps as django_apps

    from apps.core.models import Area
    from apps.pilots.models import PublicHoliday
    from apps.welfare.models import StatutoryFloor

    if not Area.objects.exists():
        import_module("apps.core.migrations.0002_load_areas").load_areas(django_apps, None)
    if not PublicHoliday.objects.exists():
        loader = import_module("apps.pilots.migrations.0003_load_public_holidays")
        loader.load(django_apps, None)
    if not StatutoryFloor.objects.exists():
        loader = import_module("apps.welfare.migrations.0002_load_statutory_floors")
        loader.load(django_apps, None)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """pytest-django's, then the reference rows: a kept test database (`--reuse-db`) may come
    from a run whose last test flushed it."""
    with django_db_blocker.unblock():
        _restore_reference_rows()
    yield
    # A thread of a live server or of a concurrency test can leave its connection open, and
    # pytest-django's DROP DATABASE then fails, leaving the test database behind.
    from django.db import connection

    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """A transactional test ends by flushing every table, the reference rows included; put them
    back so that no later test depends on the order the tests ran in."""
    yield
    if nextitem is None:
        # The last test: the session's fixtures, the test database among them, are gone now.
        return
    marker = item.get_closest_marker("django_db")
    fixtures = getattr(item, "fixturenames", ())
    transactional = (marker is not None and marker.kwargs.get("transaction")) or any(
        name in fixtures for name in ("transactional_db", "live_server", "celery_worker")
    )
    if not transactional:
        return
    from pytest_django.plugin import blocking_manager_key

    with item.config.stash[blocking_manager_key].unblock():
        _restore_reference_rows()
