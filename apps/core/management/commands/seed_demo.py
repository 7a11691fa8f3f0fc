from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction


class Command(BaseCommand):
    help = (
        "Load the demo data (idempotent). Each app adds its part in its demo.py, in import order."
    )

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="run even with DEBUG off")

    def handle(self, *args, force: bool = False, **options):
        if not settings.DEBUG and not force:
            raise CommandError("seed_demo refuses to run with DEBUG=0; pass --force to insist.")
        for config in apps.get_app_configs():
            module_name = f"{config.name}.demo"
            if not config.name.startswith("apps.") or find_spec(module_name) is None:
                continue
            self.stdout.write(f"{config.label}:")
            with transaction.atomic():
                import_module(module_name).seed(stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo data is in place."))
