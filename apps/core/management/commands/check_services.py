import sys

import psycopg2
from django.conf import settings
from django.core.management.base import BaseCommand

from apps.core import health


class Command(BaseCommand):
    help = "Check that PostgreSQL and Redis answer; name the one that does not, in one line."

    def handle(self, *args, **options):
        problems = []
        db = settings.DATABASES["default"]
        try:
            # The maintenance database answers even before ours is created.
            psycopg2.connect(
                dbname="postgres",
                user=db.get("USER") or None,
                password=db.get("PASSWORD") or None,
                host=db.get("HOST") or None,
                port=db.get("PORT") or None,
                connect_timeout=3,
            ).close()
        except psycopg2.Error:
            where = f"{db.get('HOST') or 'local socket'}:{db.get('PORT') or 5432}"
            problems.append(
                f"PostgreSQL is not reachable at {where}; start it or set DATABASE_URL."
            )
        if not health.broker_ok():
            url = health.hide_password(settings.CELERY_BROKER_URL)
            problems.append(f"Redis is not reachable at {url}; start it or set REDIS_URL.")
        for line in problems:
            sys.stderr.write(line + "\n")
        if problems:
            sys.exit(1)
        self.stdout.write("PostgreSQL and Redis are reachable.")
