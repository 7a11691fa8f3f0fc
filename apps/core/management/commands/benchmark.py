"""`manage.py benchmark NAME [options]`: run one registered benchmark in a throwaway database.

A benchmark lives in `apps/<app>/benchmarks.py`:

    from apps.core.management.commands.benchmark import benchmark

    @benchmark("roster_import", help="...", arguments=[("--rows", {"type": int, ...})])
    def roster_import(*, rows: int, **options) -> dict: ...

It builds its own data and returns its figures; this command creates `<db>_bench`, migrates it,
runs the function, adds `peak_rss_mb` and prints one JSON line, the only thing on stdout, then
drops the database, even when the benchmark fails.
"""

from __future__ import annotations

import io
import json
import resource
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import import_module
from importlib.util import find_spec
from urllib.parse import quote

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, connections
from psycopg2 import sql


@dataclass(frozen=True)
class Benchmark:
    name: str
    function: Callable[..., dict]
    help: str = ""
    arguments: list[tuple[str, dict]] = field(default_factory=list)


REGISTRY: dict[str, Benchmark] = {}


def benchmark(name: str, *, help: str = "", arguments: list | None = None):
    """Register a benchmark function returning a dict of figures (JSON-serialisable)."""

    def register(function):
        REGISTRY[name] = Benchmark(name, function, help, list(arguments or []))
        return function

    return register


def discover() -> dict[str, Benchmark]:
    for config in apps.get_app_configs():
        module = f"{config.name}.benchmarks"
        if config.name.startswith("apps.") and find_spec(module) is not None:
            import_module(module)
    return REGISTRY


def database_url() -> str:
    """The URL of the database this process uses now (the throwaway one during a benchmark,
    the test database in tests), for the processes it starts: workers, gunicorn."""
    db = connections["default"].settings_dict
    credentials = quote(db.get("USER") or "postgres", safe="")
    if db.get("PASSWORD"):
        credentials += ":" + quote(db["PASSWORD"], safe="")
    host, port = db.get("HOST") or "127.0.0.1", db.get("PORT") or 5432
    return f"postgres://{credentials}@{host}:{port}/{db['NAME']}"


def peak_rss_mb() -> float:
    """Peak resident set of this process plus its waited-for children, in MB (Linux: KiB)."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    scale = 1024 * 1024 if sys.platform == "darwin" else 1024
    return round((own + children) / scale, 1)


class Command(BaseCommand):
    help = "Run a benchmark in a throwaway database and print one JSON line of figures."

    def add_arguments(self, parser):
        benchmarks = discover()
        subparsers = parser.add_subparsers(dest="benchmark_name", metavar="NAME")
        subparsers.required = True
        for name, spec in sorted(benchmarks.items()):
            sub = subparsers.add_parser(name, help=spec.help)
            for flag, kwargs in spec.arguments:
                sub.add_argument(flag, **kwargs)
            sub.add_argument("--keep-database", action="store_true", help="do not drop it")

    def handle(self, *args, benchmark_name: str, keep_database: bool = False, **options):
        spec = discover()[benchmark_name]
        names = {flag.lstrip("-").replace("-", "_") for flag, _kwargs in spec.arguments}
        kwargs = {name: options[name] for name in names}
        main_name = settings.DATABASES["default"]["NAME"]
        bench_name = f"{main_name}_bench"
        _create_database(bench_name)
        try:
            _use_database(bench_name)
            call_command("migrate", verbosity=0, interactive=False, stdout=io.StringIO())
            figures = spec.function(**kwargs)
        finally:
            _use_database(main_name)
            if not keep_database:
                _drop_database(bench_name)
        figures.setdefault("peak_rss_mb", peak_rss_mb())
        self.stdout.write(json.dumps(figures, ensure_ascii=False))


def _use_database(name: str) -> None:
    # Closing first makes the next query open a connection to the new name.
    connections["default"].close()
    settings.DATABASES["default"]["NAME"] = name
    connections["default"].settings_dict["NAME"] = name


def _admin_execute(statement: sql.Composable) -> None:
    with connections["default"]._nodb_cursor() as cursor:
        cursor.execute(statement.as_string(cursor.connection))


def _create_database(name: str) -> None:
    _drop_database(name)  # a run killed half-way leaves one behind
    try:
        _admin_execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    except DatabaseError as error:  # one clear line instead of a traceback
        raise CommandError(f"Cannot create the benchmark database {name}: {error}") from None


def _drop_database(name: str) -> None:
    connections["default"].close()
    _admin_execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
