from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import connections
from psycopg2 import sql


class Command(BaseCommand):
    help = "Create the configured PostgreSQL database when it does not exist yet."

    def handle(self, *args, **options):
        name = settings.DATABASES["default"]["NAME"]
        with connections["default"]._nodb_cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            if cursor.fetchone():
                self.stdout.write(f"Database {name} exists.")
                return
            cursor.execute(
                sql.SQL("CREATE DATABASE {}")
                .format(sql.Identifier(name))
                .as_string(cursor.connection)
            )
        self.stdout.write(f"Created database {name}.")
