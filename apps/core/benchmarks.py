"""`manage.py benchmark load`: the portal under gunicorn, driven over HTTP by concurrent clients.

The framework gives us a migrated throwaway database; we seed the demo parent's family (accounts,
members, centres, employers and their programmes, through the apps' own demo seeders), start
gunicorn on a free port of 127.0.0.1 against that database, with the settings of a deployment
(DEBUG off, collected static files), and let `clients` threads, each with its own
`requests.Session`, walk the parent journey's read endpoints for `seconds` seconds, pausing
between taps as a person does. Then the same clients walk it without pausing (the most the portal
serves here), then hit bare `/healthz` without pausing (the most this machine serves).

Each client signs in once (an API token and a session cookie), not once per request. So that the
per-address sign-in limits do not turn 50 clients on one address into errors, gunicorn's child
trusts X-Forwarded-For (`TRUST_X_FORWARDED_FOR=1`) and each client gives its own address there.
"""

from __future__ import annotations

import io
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from importlib import import_module
from pathlib import Path

import requests
from django.conf import settings
from django.core.management.base import CommandError
from django.db import transaction

from apps.core.management.commands.benchmark import benchmark, database_url

ROOT = Path(settings.BASE_DIR)
DEMO_PASSWORD = "demo-pass-2026"  # noqa: S105 - the published demo password (apps.accounts.demo)
PARENT = "parent"
# The demo parts the parent journey needs, in INSTALLED_APPS order.
SEED_APPS = ("accounts", "members", "centres", "employers", "admissions")
# 迁安市 centre (GCJ-02), as a phone near the demo centres would give it.
HERE = {"lat": "40.0", "lng": "118.7", "radius_km": "20"}
REQUEST_TIMEOUT = 30


def seed_parent_family() -> None:
    """The demo parent, verified, with a child, an employer and eligible programmes."""
    for label in SEED_APPS:
        with transaction.atomic():
            import_module(f"apps.{label}.demo").seed(stdout=io.StringIO())


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def production_env(static_root: str) -> dict[str, str]:
    """The settings a deployment runs with (DEBUG off), over plain HTTP on 127.0.0.1: the same
    keys as this process, so the rows it seeded (encrypted identity numbers) read back."""
    return {
        "DEBUG": "0",
        "SECRET_KEY": settings.SECRET_KEY,
        "PII_ENCRYPTION_KEY": settings.PII_ENCRYPTION_KEY,
        "PII_HASH_KEY": settings.PII_HASH_KEY,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "SESSION_COOKIE_SECURE": "0",
        "CSRF_COOKIE_SECURE": "0",
        "SECURE_HSTS_SECONDS": "0",
        "STATIC_ROOT": static_root,
    }


def collect_static(env: dict[str, str]) -> None:
    """With DEBUG off, pages name their static files through the manifest collectstatic writes."""
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env={**os.environ, **env},
        check=True,
        capture_output=True,
    )


@contextmanager
def gunicorn_server(*, workers: int, threads: int, env: dict[str, str] | None = None):
    """Gunicorn serving the portal on a free port of 127.0.0.1; yields its base URL."""
    port = _free_port()
    child_env = dict(os.environ)
    child_env.update(
        {
            "DATABASE_URL": database_url(),
            "TRUST_X_FORWARDED_FOR": "1",
            "PYTHONUNBUFFERED": "1",
            "LOG_LEVEL": "WARNING",
        }
    )
    child_env.update(env or {})
    gunicorn = shutil.which("gunicorn", path=str(Path(sys.executable).parent)) or "gunicorn"
    log = tempfile.TemporaryFile()  # noqa: SIM115 - closed in the finally below
    process = subprocess.Popen(  # noqa: S603 - our own executable and arguments
        [
            gunicorn,
            "qianan_tuoyu.wsgi",
            "--config",
            "qianan_tuoyu/gunicorn.conf.py",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--threads",
            str(threads),
            "--access-logfile",
            "/dev/null",
            # Longer than a client waits between requests (the others signing in, the phase
            # change): otherwise gunicorn's 2 s default closes a kept-alive connection just as
            # the client reuses it, and that race counts as an error that users behind a proxy
            # (which keeps its own connections) would never see.
            "--keep-alive",
            "75",
        ],
        cwd=ROOT,
        env=child_env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    answer = "no answer"
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                log.seek(0)
                raise CommandError(
                    f"gunicorn exited: {log.read()[-2000:].decode(errors='replace')}"
                )
            try:
                response = requests.get(f"{base}/healthz", timeout=2)
                if response.status_code == 200:
                    break
                answer = f"{response.status_code} {response.text[:200]}"
            except requests.RequestException as error:
                answer = type(error).__name__
            if time.monotonic() > deadline:
                raise CommandError(f"gunicorn's /healthz did not answer 200 within 60 s: {answer}")
            time.sleep(0.2)
        yield base
    finally:
        if process.poll() is None:
            os.killpg(process.pid, 15)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, 9)
                process.wait()
        log.close()


class Client:
    """One simulated parent's browser and app: its own session, token and address."""

    def __init__(self, base: str, number: int):
        self.base = base
        address = f"10.13.{number // 250}.{number % 250 + 1}"
        # The browser keeps the session cookie; the app sends its token and no cookie.
        self.session = requests.Session()
        self.app = requests.Session()
        for session in (self.session, self.app):
            session.headers["X-Forwarded-For"] = address
        self.urls: list[str] = []

    def sign_in(self) -> None:
        response = self.app.post(
            f"{self.base}/api/v1/auth/token/",
            json={"username": PARENT, "password": DEMO_PASSWORD},
            timeout=REQUEST_TIMEOUT,
        )
        if response.status_code != 200:
            raise CommandError(f"token: {response.status_code} {response.text[:300]}")
        token = response.json()["token"]
        # The pages need a session: sign in through the login form once.
        login = f"{self.base}/accounts/login/"
        self.session.get(login, timeout=REQUEST_TIMEOUT).raise_for_status()
        response = self.session.post(
            login,
            data={
                "username": PARENT,
                "password": DEMO_PASSWORD,
                "csrfmiddlewaretoken": self.session.cookies.get("csrftoken", ""),
            },
            headers={"Referer": login},
            allow_redirects=False,
            timeout=REQUEST_TIMEOUT,
        )
        if response.status_code != 302:
            raise CommandError(f"login: {response.status_code}")
        self.token = token

    def api(self, path: str, **params) -> requests.Response:
        return self.app.get(
            f"{self.base}{path}",
            params=params,
            headers={"Authorization": f"Token {self.token}"},
            timeout=REQUEST_TIMEOUT,
        )

    def journey_urls(self) -> list[tuple[str, dict, bool]]:
        """The parent journey's reads: (path, query, with the token) found from the listing."""
        listing = self.api("/api/v1/programmes/", **HERE)
        listing.raise_for_status()
        children = self.api("/api/v1/children/").json()["results"]
        programmes = listing.json()["results"]
        if not programmes or not children:
            raise CommandError("the seeded parent sees no programme or has no child")
        programme = programmes[0]
        centre = programme["centres"][0]["id"]
        quote = {"centre": centre, "child": children[0]["id"]}
        return [
            ("/api/v1/programmes/", HERE, True),
            (f"/api/v1/programmes/{programme['id']}/quote/", quote, True),
            ("/api/v1/applications/", {}, True),
            ("/api/v1/children/", {}, True),
            ("/parent/", {}, False),
            ("/parent/programmes/", {}, False),
            ("/parent/applications/", {}, False),
        ]


def _drive(
    clients: list[Client], seconds: float, plan, think_ms: float = 0
) -> tuple[list[float], int, list[str]]:
    """Run every client's plan in turn until `seconds` pass, each waiting a think time drawn
    between half and one and a half `think_ms` after each answer; latencies (ms), errors,
    samples."""
    latencies: list[float] = []
    errors = 0
    samples: list[str] = []
    lock = threading.Lock()
    start = threading.Barrier(len(clients))

    def run(client: Client) -> None:
        nonlocal errors
        mine: list[float] = []
        my_errors = 0
        my_samples: list[str] = []
        steps = plan(client)
        thinking = random.Random(id(client))
        start.wait()
        stop_at = time.monotonic() + seconds
        i = 0
        while time.monotonic() < stop_at:
            path, params, with_token = steps[i % len(steps)]
            i += 1
            headers = {"Authorization": f"Token {client.token}"} if with_token else {}
            began = time.perf_counter()
            try:
                session = client.app if with_token else client.session
                response = session.get(
                    f"{client.base}{path}",
                    params=params,
                    headers=headers,
                    allow_redirects=False,
                    timeout=REQUEST_TIMEOUT,
                )
                ok = response.status_code == 200
                status = str(response.status_code)
            except requests.RequestException as error:
                ok, status = False, type(error).__name__
            mine.append((time.perf_counter() - began) * 1000)
            if not ok:
                my_errors += 1
                if len(my_samples) < 3:
                    my_samples.append(f"{path} {status}")
            if think_ms:
                pause = thinking.uniform(0.5, 1.5) * think_ms / 1000
                time.sleep(max(0.0, min(pause, stop_at - time.monotonic())))
        with lock:
            latencies.extend(mine)
            errors += my_errors
            samples.extend(my_samples)

    threads = [threading.Thread(target=run, args=(c,), daemon=True) for c in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies, errors, samples[:10]


def _percentile(values: list[float], fraction: float) -> float:
    if not values:
        return 0.0
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[round(fraction * 100) - 1]


def _phase(sessions: list[Client], seconds: float, plan, think_ms: float = 0) -> dict:
    began = time.perf_counter()
    latencies, errors, samples = _drive(sessions, seconds, plan, think_ms)
    elapsed = time.perf_counter() - began
    return {
        "requests": len(latencies),
        "rps": round(len(latencies) / elapsed, 1),
        "p50_ms": round(_percentile(latencies, 0.50), 1),
        "p95_ms": round(_percentile(latencies, 0.95), 1),
        "errors": errors,
        "samples": samples,
    }


def run_load(*, base: str, clients: int, seconds: float, think_ms: float) -> dict:
    """Drive a running portal at `base`: the parents as people use a phone (a think time
    between taps), then the same clients with no pause at all (the portal's most), then bare
    `/healthz` with no pause (the machine's most); the issue's figures are the first phase's."""
    sessions = [Client(base, n) for n in range(clients)]
    for client in sessions:
        client.sign_in()
    plans = {id(client): client.journey_urls() for client in sessions}

    def journey(client: Client):
        return plans[id(client)]

    people = _phase(sessions, seconds, journey, think_ms)
    saturated = _phase(sessions, seconds, journey)
    health = _phase(sessions, seconds, lambda c: [("/healthz", {}, False)])
    figures = {
        "clients": clients,
        "seconds": seconds,
        "think_ms": think_ms,
        **{key: people[key] for key in ("requests", "rps", "p50_ms", "p95_ms", "errors")},
        "healthz_rps": health["rps"],
        "saturated_rps": saturated["rps"],
        "saturated_p50_ms": saturated["p50_ms"],
        "saturated_p95_ms": saturated["p95_ms"],
        "saturated_errors": saturated["errors"],
        "saturated_to_healthz": round(saturated["rps"] / health["rps"], 2)
        if health["rps"]
        else None,
        "healthz_p95_ms": health["p95_ms"],
        "healthz_errors": health["errors"],
        "load_average": [round(x, 2) for x in os.getloadavg()],
    }
    samples = people["samples"] + saturated["samples"] + health["samples"]
    if samples:
        figures["error_samples"] = samples[:10]
    return figures


@benchmark(
    "load",
    help="Gunicorn on 127.0.0.1 driven by concurrent parents over HTTP, then bare /healthz.",
    arguments=[
        ("--clients", {"type": int, "default": 50, "help": "concurrent clients"}),
        ("--seconds", {"type": float, "default": 60, "help": "duration of each phase"}),
        (
            "--think-ms",
            {
                "type": float,
                "default": 1000,
                "help": "a parent's mean pause between taps in the first phase (0: none)",
            },
        ),
        ("--workers", {"type": int, "default": 2, "help": "gunicorn worker processes"}),
        ("--threads", {"type": int, "default": 4, "help": "threads per gunicorn worker"}),
    ],
)
def load(*, clients: int, seconds: float, think_ms: float, workers: int, threads: int) -> dict:
    seed_parent_family()
    with tempfile.TemporaryDirectory() as static_root:
        env = production_env(static_root)
        collect_static(env)
        with gunicorn_server(workers=workers, threads=threads, env=env) as base:
            figures = run_load(base=base, clients=clients, seconds=seconds, think_ms=think_ms)
    figures["workers"] = workers
    figures["threads"] = threads
    return figures
