from datetime import date

import pytest
from django.utils import timezone

from apps.admissions.models import Attendance
from apps.admissions.services.attendance import (
    AttendanceEntry,
    AttendanceError,
    attendance_report,
    attendance_report_batch,
)
from apps.core.models import AuditRecord
from apps.employers.pricing import month_start, next_month
from tests.admissions.test_attendance_support import (  # noqa: F401 - english is a fixture
    attendance,
    centre_admin_for,
    english,
    enrolment,
)
from tests.centres.factories import CentreClassFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

OCTOBER = date(2025, 10, 1)


def _figures():
    return sorted(
        Attendance.objects.values_list("enrolment_id", "month", "days_open", "days_attended")
    )


def test_report_creates_the_month_and_audits_it():
    row = enrolment()
    admin = centre_admin_for(row.centre)

    outcome = attendance_report(
        enrolment_id=row.pk, month=OCTOBER, days_open=22, days_attended=19, actor=admin
    )

    assert outcome.change == "created"
    saved = Attendance.objects.get()
    assert (saved.enrolment_id, saved.month, saved.days_open, saved.days_attended) == (
        row.pk,
        OCTOBER,
        22,
        19,
    )
    assert saved.reported_by == admin
    audit = AuditRecord.objects.get(action="attendance.report")
    assert (audit.target_id, audit.to_state, audit.actor_id) == (str(saved.pk), "19/22", admin.pk)
    assert audit.changes == {
        "month": "2025-10",
        "days_open": [None, 22],
        "days_attended": [None, 19],
    }


def test_report_again_corrects_the_month_and_audits_the_change():
    row = enrolment()
    existing = attendance(row, OCTOBER, days_open=22, days_attended=19)

    outcome = attendance_report(
        enrolment_id=row.pk, month=OCTOBER, days_open=22, days_attended=21, actor=None
    )

    assert outcome.change == "corrected"
    existing.refresh_from_db()
    assert (existing.days_open, existing.days_attended) == (22, 21)
    audit = AuditRecord.objects.get(action="attendance.correct")
    assert (audit.from_state, audit.to_state) == ("19/22", "21/22")
    assert audit.changes == {"month": "2025-10", "days_attended": [19, 21]}


def test_report_of_the_same_figures_changes_nothing():
    row = enrolment()
    attendance(row, OCTOBER, days_open=22, days_attended=19)

    outcome = attendance_report(
        enrolment_id=row.pk, month=OCTOBER, days_open=22, days_attended=19, actor=None
    )

    assert outcome.change == "unchanged"
    assert not AuditRecord.objects.filter(action__startswith="attendance.").exists()


def test_correction_fails_once_a_payout_run_used_the_month():
    row = enrolment()
    attendance(row, OCTOBER, days_open=22, days_attended=19, used_by_payout_run_id=7)

    with pytest.raises(AttendanceError) as refused:
        attendance_report(
            enrolment_id=row.pk, month=OCTOBER, days_open=22, days_attended=20, actor=None
        )

    assert (refused.value.code, refused.value.status_code) == ("attendance_locked", 409)
    assert refused.value.message == (
        "The attendance for 2025-10 was used by payout run 7 and can no longer be corrected."
    )
    assert _figures() == [(row.pk, OCTOBER, 22, 19)]


def test_used_month_sent_again_unchanged_is_accepted():
    row = enrolment()
    attendance(row, OCTOBER, days_open=22, days_attended=19, used_by_payout_run_id=7)

    outcome = attendance_report(
        enrolment_id=row.pk, month=OCTOBER, days_open=22, days_attended=19, actor=None
    )

    assert outcome.change == "unchanged"


def test_report_fails_for_a_month_before_the_enrolment_started():
    row = enrolment(start=date(2025, 9, 15))

    with pytest.raises(AttendanceError) as refused:
        attendance_report(
            enrolment_id=row.pk, month=date(2025, 8, 1), days_open=20, days_attended=5, actor=None
        )

    assert refused.value.fields == {
        "month": [f"Enrolment {row.pk} does not run in 2025-08: it runs from 2025-09-15."]
    }
    assert _figures() == []


def test_report_accepts_the_month_an_enrolment_started_and_the_month_it_ended():
    row = enrolment(start=date(2025, 9, 15), end=date(2025, 11, 3))

    for month in (date(2025, 9, 1), date(2025, 11, 1)):
        attendance_report(
            enrolment_id=row.pk, month=month, days_open=3, days_attended=2, actor=None
        )

    assert [m for _, m, _, _ in _figures()] == [date(2025, 9, 1), date(2025, 11, 1)]


def test_report_fails_for_a_month_after_the_enrolment_ended():
    row = enrolment(start=date(2025, 9, 1), end=date(2025, 10, 31))

    with pytest.raises(AttendanceError) as refused:
        attendance_report(
            enrolment_id=row.pk, month=date(2025, 11, 1), days_open=20, days_attended=0, actor=None
        )

    assert refused.value.fields["month"] == [
        f"Enrolment {row.pk} does not run in 2025-11: it runs from 2025-09-01 to 2025-10-31."
    ]
    assert _figures() == []


def test_report_fails_for_a_month_that_has_not_begun():
    row = enrolment()
    coming = next_month(month_start(timezone.localdate()))

    with pytest.raises(AttendanceError) as refused:
        attendance_report(
            enrolment_id=row.pk, month=coming, days_open=1, days_attended=0, actor=None
        )

    assert refused.value.fields["month"] == [f"{coming:%Y-%m} has not begun yet."]


def test_report_fails_when_days_open_exceed_the_days_in_the_month():
    row = enrolment()

    with pytest.raises(AttendanceError) as refused:
        attendance_report(
            enrolment_id=row.pk, month=date(2026, 2, 1), days_open=29, days_attended=3, actor=None
        )

    assert refused.value.fields == {
        "days_open": ["Days open must be between 0 and 28, the days in 2026-02."]
    }
    assert _figures() == []


def test_report_fails_when_days_attended_exceed_days_open():
    row = enrolment()

    with pytest.raises(AttendanceError) as refused:
        attendance_report(
            enrolment_id=row.pk, month=OCTOBER, days_open=20, days_attended=21, actor=None
        )

    assert refused.value.code == "invalid"
    assert refused.value.fields == {
        "days_attended": ["Days attended (21) cannot exceed days open (20)."]
    }
    assert _figures() == []


def test_centre_admin_cannot_report_for_another_centre():
    row = enrolment()
    other_admin = centre_admin_for(CentreClassFactory().centre)

    with pytest.raises(AttendanceError) as refused:
        attendance_report(
            enrolment_id=row.pk, month=OCTOBER, days_open=20, days_attended=20, actor=other_admin
        )

    assert refused.value.fields == {
        "enrolment": [f"There is no enrolment {row.pk} that you can report for."]
    }
    assert _figures() == []


def test_union_staff_can_correct_any_centre(union_staff):
    row = enrolment()
    attendance(row, OCTOBER, days_open=22, days_attended=19)

    attendance_report(
        enrolment_id=row.pk, month=OCTOBER, days_open=21, days_attended=19, actor=union_staff
    )

    assert _figures() == [(row.pk, OCTOBER, 21, 19)]


def test_batch_saves_nothing_when_one_row_is_wrong():
    first, second = enrolment(), enrolment()
    entries = [
        AttendanceEntry(first.pk, OCTOBER, 22, 20, key="a"),
        AttendanceEntry(second.pk, OCTOBER, 22, 23, key="b"),
    ]

    with pytest.raises(AttendanceError) as refused:
        attendance_report_batch(entries=entries, actor=None)

    assert refused.value.row_errors == {
        "b": {"days_attended": ["Days attended (23) cannot exceed days open (22)."]}
    }
    assert refused.value.fields == {
        "b.days_attended": ["Days attended (23) cannot exceed days open (22)."]
    }
    assert _figures() == []


def test_batch_refuses_the_same_enrolment_and_month_twice():
    row = enrolment()
    entries = [
        AttendanceEntry(row.pk, OCTOBER, 22, 20, key="2"),
        AttendanceEntry(row.pk, OCTOBER, 22, 21, key="3"),
    ]

    with pytest.raises(AttendanceError) as refused:
        attendance_report_batch(entries=entries, actor=None)

    assert refused.value.row_errors == {
        "3": {"enrolment": ["This enrolment and month are given twice (also at 2)."]}
    }
    assert _figures() == []


def test_batch_with_a_locked_row_and_a_wrong_row_is_invalid_not_locked():
    first, second = enrolment(), enrolment()
    attendance(first, OCTOBER, used_by_payout_run_id=3)
    entries = [
        AttendanceEntry(first.pk, OCTOBER, 22, 1, key="a"),
        AttendanceEntry(second.pk, OCTOBER, 2, 3, key="b"),
    ]

    with pytest.raises(AttendanceError) as refused:
        attendance_report_batch(entries=entries, actor=None)

    assert (refused.value.code, refused.value.status_code) == ("invalid", 400)
    assert refused.value.message == "2 problems: nothing was saved."
    assert sorted(refused.value.row_errors) == ["a", "b"]


def test_batch_checks_the_child_name_when_given():
    row = enrolment()

    with pytest.raises(AttendanceError) as refused:
        attendance_report_batch(
            entries=[AttendanceEntry(row.pk, OCTOBER, 20, 20, key="2", child_name="别人")],
            actor=None,
        )

    assert refused.value.row_errors == {
        "2": {
            "child_name": [f"Enrolment {row.pk} is not this child's: check the enrolment number."]
        }
    }
