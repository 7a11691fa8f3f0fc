"""Benchmarks of the employers app (run with `manage.py benchmark NAME`)."""

import time
from datetime import date, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import CommandError

from apps.core.management.commands.benchmark import benchmark
from apps.core.models import Area
from apps.core.spreadsheets import write_xlsx
from apps.core.validators import make_credit_code, make_id_number

from .models import RosterImport
from .services.registry import employer_approve, employer_create
from .services.roster import roster_import_create, roster_import_run
from .services.roster_rows import TEMPLATE_HEADERS

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平"


def roster_rows(count: int, *, offset: int = 0):
    """`count` valid, distinct roster rows (fictitious ID numbers with correct check digits)."""
    for i in range(offset, offset + count):
        name = SURNAMES[i % 20] + GIVEN[(i // 20) % 20] + GIVEN[(i // 400) % 20]
        birth = date(1970, 1, 1) + timedelta(days=i % 9000)
        yield [
            name,
            make_id_number(birth=birth, sequence=1 + i // 9000),
            f"13{i % 1_000_000_000:09d}",
            f"车间{i % 12 + 1}",
            "是" if i % 3 else "否",
            date(2010, 1, 1) + timedelta(days=i % 4000),
        ]


@benchmark(
    "roster_import",
    help="Import an .xlsx roster through the portal's import service (check, then apply).",
    arguments=[("--rows", {"type": int, "default": 20_000, "help": "rows in the file"})],
)
def roster_import(*, rows: int) -> dict:
    employer = employer_create(
        name="基准测试钢铁有限公司",
        credit_code=make_credit_code("91130283MA0BENCH0"),
        kind="enterprise",
        address="迁安市",
        area=Area.objects.order_by("sort_order").first(),
        actor=None,
    )
    employer_approve(employer=employer, actor=None)
    upload = SimpleUploadedFile("roster.xlsx", write_xlsx(TEMPLATE_HEADERS, roster_rows(rows)))
    started = time.perf_counter()
    # What the portal's upload and the Celery task do, here in one process.
    created = roster_import_create(employer=employer, upload=upload, actor=None)
    done = roster_import_run(roster_import_id=created.pk)
    seconds = time.perf_counter() - started
    if done.status != RosterImport.Status.DONE or done.created_count != rows:
        raise CommandError(f"the import did not finish: {done.status}, {done.errors[:3]}")
    return {"rows": rows, "seconds": round(seconds, 2)}
