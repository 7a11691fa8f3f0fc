"""PIPL Art. 28: sensitive numbers are never stored in plain text, anywhere in the database."""

import shutil
import subprocess
from datetime import date

import pytest
from django.conf import settings

from apps.core.pii import set_sensitive
from apps.core.validators import make_id_number, normalize_id_number
from tests.members.factories import ChildFactory, MemberFactory


def _dump() -> str:
    db = settings.DATABASES["default"]
    result = subprocess.run(
        [
            shutil.which("pg_dump"),
            "--data-only",
            "--no-owner",
            "-h",
            db.get("HOST") or "127.0.0.1",
            "-p",
            str(db.get("PORT") or 5432),
            "-U",
            db.get("USER") or "postgres",
            db["NAME"],
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return result.stdout


@pytest.mark.django_db(transaction=True)
def test_database_dump_holds_no_plain_id_number():
    member_number = make_id_number(birth=date(1990, 5, 17), sequence=731)
    child_number = make_id_number(birth=date(2024, 2, 29), sequence=512)
    member = MemberFactory(id_number=member_number)
    child = ChildFactory(guardian=member)
    set_sensitive(child, "id_number", child_number, normalize=normalize_id_number)
    child.save()

    dump = _dump()

    assert member.full_name in dump, "the dump should contain the member's row"
    for number in (member_number, child_number):
        assert number not in dump
        assert number[:17] not in dump
