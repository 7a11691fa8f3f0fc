"""Roster import service: encodings, formats, all-or-nothing checks, re-imports, leavers."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.utils import timezone

from apps.admissions.models import Application
from apps.admissions.tasks import offers_expire_task
from apps.core.models import AuditRecord, Notice
from apps.core.pii import pii_hash
from apps.core.validators import normalize_id_number
from apps.employers.models import Employment, RosterEntry, RosterImport
from apps.employers.services import roster as services
from apps.employers.services.registry import EmployerError
from apps.members.models import Member
from tests.admissions.factories import application, family, place
from tests.employers.factories import EmploymentFactory
from tests.employers.roster_files import (
    HEADERS,
    csv_bytes,
    csv_upload,
    id_number,
    people,
    person,
    xlsx_upload,
)
from tests.members.factories import MemberFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def run(employer, upload, *, actor=None, mode="full") -> RosterImport:
    created = services.roster_import_create(
        employer=employer, upload=upload, mode=mode, actor=actor
    )
    return services.roster_import_run(roster_import_id=created.pk)


def roster(employer) -> dict[str, tuple]:
    return {
        entry.full_name: (entry.id_number, entry.mobile, entry.department, entry.union_member,
                          entry.start_date, entry.status)
        for entry in RosterEntry.objects.filter(employer=employer)
    }  # fmt: skip


def test_csv_in_utf8_is_imported_with_every_column(employer, employer_admin_user):
    result = run(employer, csv_upload([person(1), person(3)]), actor=employer_admin_user)

    assert (result.status, result.rows_total, result.rows_done) == ("done", 2, 2)
    assert (result.created_count, result.updated_count, result.left_count) == (2, 0, 0)
    assert roster(employer) == {
        "李建国": (id_number(1), "13900000001", "炼钢车间", True, date(2019, 3, 1), "active"),
        "刘芳": (id_number(3), "13900000003", "炼钢车间", False, date(2019, 3, 1), "active"),
    }


def test_names_and_departments_with_commas_and_quotes_are_stored_exactly(employer):
    # New rows are written with COPY ... (FORMAT csv): the cells' own commas and quotes must
    # survive, and an empty department must stay empty text, never NULL.
    rows = [
        person(1, full_name='阿卜杜拉·"艾力"', department='炼钢车间, "一"班'),
        person(2, department=""),
    ]

    result = run(employer, csv_upload(rows))

    assert result.status == "done"
    stored = {name: values[2] for name, values in roster(employer).items()}
    assert stored == {'阿卜杜拉·"艾力"': '炼钢车间, "一"班', "张伟": ""}
    assert roster(employer)['阿卜杜拉·"艾力"'][0] == id_number(1)


def test_csv_in_gbk_is_imported(employer):
    upload = SimpleUploadedFile("花名册.csv", csv_bytes([person(2)], encoding="gbk"))

    result = run(employer, upload)

    assert result.status == "done"
    assert list(roster(employer)) == ["张伟"]


def test_csv_in_utf8_with_bom_is_imported(employer):
    upload = SimpleUploadedFile("roster.csv", csv_bytes([person(2)], encoding="utf-8-sig"))

    result = run(employer, upload)

    assert result.status == "done"
    assert list(roster(employer)) == ["张伟"]


def test_xlsx_with_date_and_number_cells_is_imported(employer):
    row = person(4)
    row[2], row[5] = 13900000004, date(2020, 7, 15)  # Excel stores these as a number and a date

    result = run(employer, xlsx_upload([row]))

    assert result.status == "done"
    assert roster(employer)["陈静"][1:5] == ("13900000004", "", True, date(2020, 7, 15))


def test_stored_id_numbers_are_encrypted_and_hashed_like_members(employer):
    run(employer, csv_upload([person(5)]))

    entry = RosterEntry.objects.get()
    with connection.cursor() as cursor:
        cursor.execute("SELECT id_number FROM employers_rosterentry WHERE id = %s", [entry.pk])
        raw = cursor.fetchone()[0]
    assert id_number(5) not in raw
    assert entry.id_number_hash == pii_hash(id_number(5), normalize=normalize_id_number)


def test_a_malformed_row_refuses_the_whole_file_naming_row_and_column(employer):
    bad = person(2, id_number=id_number(2)[:17] + "0", start_date="2019-13-01")
    upload = csv_upload([person(1), bad, person(3)])

    result = run(employer, upload)

    assert result.status == "failed"
    assert RosterEntry.objects.count() == 0
    assert result.errors == [
        {
            "row": 3,
            "column": "身份证号",
            "reason": "Enter a valid resident ID number: the check digit does not match.",
        },
        {
            "row": 3,
            "column": "入职日期",
            "reason": "Write the date as YYYY-MM-DD, for example 2021-03-01.",
        },
    ]


def test_errors_never_quote_the_id_number(employer):
    bad_number = id_number(2)[:17] + "0"
    result = run(employer, csv_upload([person(2, id_number=bad_number, mobile="12345")]))

    text = str(result.errors)
    assert bad_number not in text
    assert "12345" not in text
    assert [(e["row"], e["column"]) for e in result.errors] == [(2, "身份证号"), (2, "手机号")]


def test_a_duplicate_id_number_in_the_file_names_both_rows(employer):
    result = run(employer, csv_upload([person(1), person(2), person(3, id_number=id_number(1))]))

    assert result.status == "failed"
    assert result.errors == [
        {"row": 4, "column": "身份证号", "reason": "The same ID number is already in row 2."}
    ]
    assert RosterEntry.objects.count() == 0


def test_empty_cells_and_bad_yes_no_are_named(employer):
    result = run(employer, csv_upload([person(1, full_name="", union_member="maybe")]))

    assert result.errors == [
        {"row": 2, "column": "姓名", "reason": "This cell is empty."},
        {"row": 2, "column": "工会会员", "reason": "Write 是 (yes) or 否 (no)."},
    ]


def test_a_missing_column_is_reported_on_the_header_row(employer):
    headers = [h for h in HEADERS if h != "手机号"]
    rows = [[c for i, c in enumerate(person(1)) if i != 2]]

    result = run(employer, csv_upload(rows, headers=headers))

    assert result.errors == [{"row": 1, "column": "手机号", "reason": "This column is missing."}]


def test_english_headers_and_an_optional_department_column_are_accepted(employer):
    headers = ["Name", "ID number", "Mobile", "Union member", "Start date"]
    rows = [[c for i, c in enumerate(person(1)) if i != 3]]

    result = run(employer, csv_upload(rows, headers=headers))

    assert result.status == "done"
    assert roster(employer)["李建国"][2] == ""


def test_a_file_over_five_megabytes_is_refused_before_it_is_stored(employer):
    upload = SimpleUploadedFile("big.csv", b"x" * (5 * 1024 * 1024 + 1))

    with pytest.raises(EmployerError) as refused:
        services.roster_import_create(employer=employer, upload=upload, actor=None)

    assert refused.value.fields == {"file": ["The file is larger than 5 MB."]}
    assert RosterImport.objects.count() == 0


def test_a_file_of_another_type_is_refused(employer):
    upload = SimpleUploadedFile("roster.xls", b"\xd0\xcf\x11\xe0")

    with pytest.raises(EmployerError) as refused:
        services.roster_import_create(employer=employer, upload=upload, actor=None)

    assert refused.value.fields == {
        "file": ["Upload an Excel workbook (.xlsx) or a CSV file (.csv)."]
    }


def test_more_than_twenty_thousand_rows_are_refused(employer, monkeypatch):
    monkeypatch.setattr(services.rows_module, "MAX_ROWS", 3)

    result = run(employer, csv_upload(people(4)))

    assert result.status == "failed"
    assert result.errors == [
        {
            "row": None,
            "column": "",
            "reason": "The file has more than 3 data rows; split it into smaller files.",
        }
    ]


def test_reimporting_the_same_file_changes_nothing(employer, employer_admin_user):
    data = csv_bytes(people(6))
    run(employer, SimpleUploadedFile("r.csv", data), actor=employer_admin_user)
    before = list(RosterEntry.objects.order_by("pk").values())
    audits = AuditRecord.objects.count()

    again = run(employer, SimpleUploadedFile("r.csv", data), actor=employer_admin_user)

    assert (again.status, again.created_count, again.updated_count, again.left_count) == (
        "done",
        0,
        0,
        0,
    )
    assert list(RosterEntry.objects.order_by("pk").values()) == before
    assert AuditRecord.objects.count() == audits


def test_a_changed_row_is_updated_and_the_others_are_untouched(employer):
    run(employer, csv_upload(people(3)))
    unchanged = RosterEntry.objects.get(full_name="王秀英")

    result = run(employer, csv_upload([person(0), person(1, department="轧钢车间"), person(2)]))

    assert (result.created_count, result.updated_count) == (0, 1)
    assert RosterEntry.objects.get(full_name="李建国").department == "轧钢车间"
    assert RosterEntry.objects.get(pk=unchanged.pk).updated_at == unchanged.updated_at


def test_a_full_import_marks_missing_people_as_left_and_ends_their_employment(
    employer, employer_admin_user
):
    employer_admin_user.language = "en"
    employer_admin_user.save()
    member = MemberFactory(full_name="张伟", id_number=id_number(2))
    employment = EmploymentFactory(member=member, employer=employer)
    run(employer, csv_upload(people(4)))

    result = run(employer, csv_upload([person(0), person(1), person(3)]))

    today = timezone.localdate()
    assert (result.created_count, result.updated_count, result.left_count) == (0, 0, 1)
    left = RosterEntry.objects.get(full_name="张伟")
    assert (left.status, left.left_on) == ("left", today)
    assert RosterEntry.objects.filter(status="active").count() == 3
    employment.refresh_from_db()
    assert (employment.status, employment.end_date) == ("left", today)
    notice = Notice.objects.get(recipient=employer_admin_user)
    assert notice.title == f"1 person left the roster of {employer.name}"
    assert "张伟" in notice.body
    assert id_number(2) not in notice.body


def test_an_additions_import_marks_nobody_as_left(employer):
    run(employer, csv_upload(people(3)))

    result = run(employer, csv_upload([person(5)]), mode="additions")

    assert (result.created_count, result.left_count) == (1, 0)
    assert RosterEntry.objects.filter(status="active").count() == 4


def test_someone_back_on_the_roster_is_active_again(employer):
    run(employer, csv_upload(people(2)))
    run(employer, csv_upload([person(0)]))

    result = run(employer, csv_upload(people(2)))

    assert result.updated_count == 1
    back = RosterEntry.objects.get(full_name="李建国")
    assert (back.status, back.left_on) == ("active", None)


def test_an_import_confirms_a_pending_employment_it_matches_and_verifies_the_member(employer):
    member = MemberFactory(full_name="李建国", id_number=id_number(1))
    employment = EmploymentFactory(member=member, employer=employer, status="pending")

    run(employer, csv_upload([person(1)]))  # row 1 is a union member

    employment.refresh_from_db()
    member.refresh_from_db()
    assert (employment.status, employment.verified_by) == ("active", "roster")
    assert (member.membership, member.union) == (Member.Membership.VERIFIED, employer.union)


def test_an_import_leaves_a_pending_employment_whose_name_differs(employer):
    member = MemberFactory(full_name="李建军", id_number=id_number(1))
    employment = EmploymentFactory(member=member, employer=employer, status="pending")

    run(employer, csv_upload([person(1)]))

    employment.refresh_from_db()
    assert employment.status == Employment.Status.PENDING


def test_running_an_import_twice_applies_it_once(employer):
    created = services.roster_import_create(
        employer=employer, upload=csv_upload(people(2)), actor=None
    )
    services.roster_import_run(roster_import_id=created.pk)

    again = services.roster_import_run(roster_import_id=created.pk)

    assert (again.status, again.created_count) == ("done", 2)
    assert RosterEntry.objects.count() == 2


def test_the_uploaded_file_is_deleted_once_processed(employer, django_capture_on_commit_callbacks):
    created = services.roster_import_create(
        employer=employer, upload=csv_upload(people(1)), actor=None
    )
    storage, name = created.file.storage, created.file.name
    assert storage.exists(name)

    with django_capture_on_commit_callbacks(execute=True):
        result = services.roster_import_run(roster_import_id=created.pk)

    assert result.file.name == ""
    assert not storage.exists(name)


def test_a_large_file_is_queued_for_a_worker(
    employer, django_capture_on_commit_callbacks, monkeypatch
):
    monkeypatch.setattr(services, "INLINE_MAX_BYTES", 10)
    sent = []
    monkeypatch.setattr(
        "apps.employers.tasks.roster_import_task.apply_async",
        lambda args, kwargs: sent.append(args),
    )

    with django_capture_on_commit_callbacks(execute=True):
        result = services.roster_import_submit(
            employer=employer, upload=csv_upload(people(2)), actor=None
        )

    assert result.status == "queued"
    assert sent == [(result.pk,)]
    assert RosterEntry.objects.count() == 0


def test_marking_an_entry_as_left_by_hand_ends_the_employment(employer, union_staff):
    member = MemberFactory(full_name="李建国", id_number=id_number(1))
    employment = EmploymentFactory(member=member, employer=employer)
    run(employer, csv_upload([person(1)]))

    entry = services.roster_entry_update(
        entry=RosterEntry.objects.get(), status="left", actor=union_staff
    )

    employment.refresh_from_db()
    assert (entry.status, entry.left_on) == ("left", timezone.localdate())
    assert (employment.status, employment.end_date) == ("left", timezone.localdate())
    assert AuditRecord.objects.get(action="roster.entry_update").changes == {"fields": ["status"]}


def test_a_full_import_gets_the_open_applications_of_leavers_flagged(employer):
    # The import ends the employment; admissions' periodic task (every 5 minutes) then flags
    # the open applications made through it, which the employer and centre admins see.
    setting = place(lead_employer=employer)
    leaver = family(employer, member=MemberFactory(full_name="张伟", id_number=id_number(2)))
    EmploymentFactory(member=leaver.member, employer=employer)
    stayer = family(employer, member=MemberFactory(full_name="李建国", id_number=id_number(1)))
    EmploymentFactory(member=stayer.member, employer=employer)
    leaving = application(setting, Application.State.WAITING, kin=leaver)
    staying = application(setting, Application.State.WAITING, kin=stayer)
    run(employer, csv_upload(people(3)))

    run(employer, csv_upload([person(0), person(1)]))
    flagged = offers_expire_task()["flagged"]

    assert flagged == 1
    assert Application.objects.get(pk=leaving.pk).employment_left_flag is True
    assert Application.objects.get(pk=staying.pk).employment_left_flag is False
