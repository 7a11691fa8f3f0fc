"""Demo employers, their rosters and their programmes, each part in its own module."""

from importlib import import_module
from importlib.util import find_spec


def seed(*, stdout) -> None:
    for part in ("demo_registry", "demo_roster", "demo_programmes"):
        name = f"apps.employers.{part}"
        if find_spec(name) is not None and hasattr(import_module(name), "seed"):
            import_module(name).seed(stdout=stdout)
