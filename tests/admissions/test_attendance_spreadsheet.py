import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from apps.admissions.models import Attendance
from apps.core.spreadsheets import write_xlsx
from tests.admissions.test_attendance_support import (  # noqa: F401 - english is a fixture
    URLCONF,
    attendance,
    centre_admin_for,
    english,
    enrolment,
)
from tests.centres.factories import CentreClassFactory

pytestmark = [pytest.mark.django_db, pytest.mark.urls(URLCONF), pytest.mark.usefixtures("english")]

HEADERS = ["幼儿姓名", "入托编号", "月份", "开园天数", "出勤天数"]
OCTOBER = date(2025, 10, 1)


@pytest.fixture
def centre_class():
    return CentreClassFactory()


@pytest.fixture
def signed_in(client, centre_class):
    client.force_login(centre_admin_for(centre_class.centre))
    return client


def _xlsx(rows, headers=HEADERS):
    return SimpleUploadedFile("出勤.xlsx", write_xlsx(headers, rows))


def _upload(client, upload):
    return client.post(reverse("centre-attendance-upload"), {"file": upload})


def _figures():
    return sorted(Attendance.objects.values_list("enrolment_id", "days_open", "days_attended"))


def test_template_lists_the_months_enrolments_with_chinese_headers(signed_in, centre_class):
    reported = enrolment(centre_class=centre_class)
    fresh = enrolment(centre_class=centre_class)
    enrolment()  # another centre's
    attendance(reported, OCTOBER, days_open=21, days_attended=17)

    response = signed_in.get(reverse("centre-attendance-template"), {"month": "2025-10"})

    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == tuple(HEADERS)
    assert sorted(rows[1:], key=lambda r: r[1]) == [
        (reported.child.full_name, reported.pk, "2025-10", 21, 17),
        (fresh.child.full_name, fresh.pk, "2025-10", None, None),
    ]


def test_upload_saves_every_row(signed_in, centre_class):
    first, second = (enrolment(centre_class=centre_class) for _ in range(2))
    upload = _xlsx(
        [
            [first.child.full_name, first.pk, "2025-10", 22, 20],
            [second.child.full_name, second.pk, "2025-10", 22, 22],
        ]
    )

    response = _upload(signed_in, upload)

    assert response.status_code == 302
    assert _figures() == [(first.pk, 22, 20), (second.pk, 22, 22)]


def test_upload_accepts_a_month_the_spreadsheet_turned_into_a_date(signed_in, centre_class):
    row = enrolment(centre_class=centre_class)

    response = _upload(signed_in, _xlsx([["", row.pk, date(2025, 10, 1), 22, 20]]))

    assert response.status_code == 302
    assert Attendance.objects.get().month == OCTOBER


def test_upload_of_a_csv_saves_its_rows(signed_in, centre_class):
    row = enrolment(centre_class=centre_class)
    text = ",".join(HEADERS) + f"\n{row.child.full_name},{row.pk},2025-10,22,19\n"
    upload = SimpleUploadedFile("出勤.csv", text.encode("gb18030"))

    assert _upload(signed_in, upload).status_code == 302
    assert _figures() == [(row.pk, 22, 19)]


def test_upload_saves_nothing_and_lists_each_problem_by_row_and_column(signed_in, centre_class):
    good, wrong = (enrolment(centre_class=centre_class) for _ in range(2))
    stranger = enrolment()
    upload = _xlsx(
        [
            [good.child.full_name, good.pk, "2025-10", 22, 20],
            [wrong.child.full_name, wrong.pk, "2025-10", 22, 25],
            ["", stranger.pk, "2025-10", 22, 20],
            ["", good.pk, "十月", "x", 20],
        ]
    )

    response = _upload(signed_in, upload)

    assert response.status_code == 400
    assert response.context["problems"] == [
        {
            "row": 3,
            "column": "出勤天数",
            "reason": "Days attended (25) cannot exceed days open (22).",
        },
        {
            "row": 4,
            "column": "入托编号",
            "reason": f"There is no enrolment {stranger.pk} that you can report for.",
        },
        {"row": 5, "column": "开园天数", "reason": "Give a whole number of days."},
        {"row": 5, "column": "月份", "reason": "Give the month as YYYY-MM."},
    ]
    assert "Nothing was saved" in response.text
    assert _figures() == []


def test_upload_names_a_missing_column(signed_in):
    upload = _xlsx([[1, "2025-10", 20]], headers=["入托编号", "月份", "出勤天数"])

    response = _upload(signed_in, upload)

    assert response.context["problems"] == [
        {
            "row": 1,
            "column": "开园天数",
            "reason": "This column is missing: use the template's headers.",
        }
    ]


def test_upload_refuses_a_correction_of_a_used_month(signed_in, centre_class):
    row = enrolment(centre_class=centre_class)
    attendance(row, OCTOBER, days_open=22, days_attended=20, used_by_payout_run_id=4)

    response = _upload(signed_in, _xlsx([["", row.pk, "2025-10", 22, 10]]))

    assert response.context["problems"] == [
        {
            "row": 2,
            "column": "月份",
            "reason": "The attendance for 2025-10 was used by payout run 4 and can no longer be "
            "corrected.",
        }
    ]
    assert _figures() == [(row.pk, 22, 20)]


def test_upload_of_a_file_that_is_not_a_spreadsheet_says_so(signed_in):
    upload = SimpleUploadedFile("出勤.xlsx", b"not a workbook")

    response = _upload(signed_in, upload)

    assert response.context["problems"] == [
        {
            "row": None,
            "column": "",
            "reason": "Upload an Excel workbook (.xlsx) or a CSV file (.csv).",
        }
    ]
