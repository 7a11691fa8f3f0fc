"""Roster files for the tests: the template's columns, valid people, CSV and .xlsx uploads."""

import csv
import io
from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile

from apps.core.spreadsheets import write_xlsx
from apps.core.validators import make_id_number
from apps.employers.services.roster_rows import TEMPLATE_HEADERS

HEADERS = TEMPLATE_HEADERS  # 姓名 身份证号 手机号 部门 工会会员 入职日期
NAMES = ["王秀英", "李建国", "张伟", "刘芳", "陈静", "杨洋", "赵磊", "黄丽", "周杰", "吴敏"]


def id_number(n: int) -> str:
    return make_id_number(birth=date(1980 + n % 20, 1 + n % 12, 1 + n % 28), sequence=n % 1000)


def person(n: int, **changes) -> list[str]:
    """Row n of a roster, as text cells in the template's order."""
    row = {
        "full_name": NAMES[n % 10] + ("" if n < 10 else str(n)),
        "id_number": id_number(n),
        "mobile": f"1390000{n:04d}",
        "department": "炼钢车间" if n % 2 else "",
        "union_member": "是" if n % 3 else "否",
        "start_date": "2019-03-01",
    }
    row.update(changes)
    return [row[key] for key in ("full_name", "id_number", "mobile", "department")] + [
        row["union_member"],
        row["start_date"],
    ]


def people(count: int, start: int = 0) -> list[list[str]]:
    return [person(n) for n in range(start, start + count)]


def csv_bytes(rows, *, headers=HEADERS, encoding: str = "utf-8") -> bytes:
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(headers)
    writer.writerows(rows)
    return text.getvalue().encode(encoding)


def csv_upload(rows, *, name: str = "roster.csv", **kwargs) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, csv_bytes(rows, **kwargs), content_type="text/csv")


def xlsx_upload(rows, *, name: str = "roster.xlsx", headers=HEADERS) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, write_xlsx(headers, rows))
