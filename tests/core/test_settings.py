import subprocess
import sys

from tests.conftest import ROOT

PRODUCTION_ENV = {
    "DEBUG": "0",
    "SECRET_KEY": "x7$k2!prod-like-secret-with-enough-length-and-variety-9q#Lm3vZ8wR",
    "PII_ENCRYPTION_KEY": "cHJvZC1saWtlLXBpaS1rZXktMzItYnl0ZXMtMDAwMDA=",
    "PII_HASH_KEY": "prod-like-hash-key",
    "ALLOWED_HOSTS": "tuoyu.example.cn",
    "PATH": "/usr/bin:/bin",
}


def _manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_check_deploy_is_clean_with_the_production_variables():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_a_missing_secret_stops_the_start_with_one_clear_line():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "PII_HASH_KEY"}

    result = _manage("check", env=env)

    assert result.returncode != 0
    assert result.stderr.strip().splitlines() == [
        "Configuration error: PII_HASH_KEY is not set (required when DEBUG=0)."
    ]


def test_check_services_names_an_unreachable_redis_in_one_line():
    env = {"DEBUG": "1", "PATH": "/usr/bin:/bin", "REDIS_URL": "redis://127.0.0.1:9/0"}

    result = _manage("check_services", env=env)

    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        "Redis is not reachable at redis://127.0.0.1:9/0; start it or set REDIS_URL."
    ]


def test_check_services_names_an_unreachable_postgresql_in_one_line():
    env = {
        "DEBUG": "1",
        "PATH": "/usr/bin:/bin",
        "DATABASE_URL": "postgres://postgres@127.0.0.1:9/x",
    }

    result = _manage("check_services", env=env)

    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        "PostgreSQL is not reachable at 127.0.0.1:9; start it or set DATABASE_URL."
    ]
