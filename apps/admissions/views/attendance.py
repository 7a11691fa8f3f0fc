"""Centre portal pages for monthly attendance: an overview by class, a whole class on one form,
and a spreadsheet template to download, fill in and upload. Saving is all-or-nothing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import wraps

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from apps.accounts.models import Role
from apps.core.spreadsheets import SpreadsheetError, read_table, xlsx_response
from apps.employers.pricing import format_month, month_start, parse_month

from ..models import Enrolment
from ..selectors import attendance as selectors
from ..services import attendance as services

# The spreadsheet's columns are fixed Chinese headers, whatever the page language, so one
# template works for every centre; the service's field names map onto them for error reports.
COLUMNS = {
    "child_name": "幼儿姓名",
    "enrolment": "入托编号",
    "month": "月份",
    "days_open": "开园天数",
    "days_attended": "出勤天数",
}
REQUIRED_COLUMNS = ("enrolment", "month", "days_open", "days_attended")
RECENT_MONTHS = 3


def reporter_required(view):
    """Centre admins (for their centre) and union staff (for any); others are refused."""

    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.has_role(Role.CENTRE_ADMIN, Role.UNION_STAFF):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


def _previous_month(day: date) -> date:
    first = month_start(day)
    return date(first.year - (first.month == 1), (first.month - 2) % 12 + 1, 1)


def _recent_months() -> list[date]:
    months = [month_start(timezone.localdate())]
    for _step in range(RECENT_MONTHS - 1):
        months.append(_previous_month(months[-1]))
    return months


def _month_or(text: str | None, default: date) -> date:
    try:
        return parse_month(text or "")
    except ValueError:
        return default


@require_GET
@reporter_required
def attendance_index(request):
    """Each class with how many of its children's figures are in for the chosen month."""
    month = _month_or(request.GET.get("month"), _previous_month(timezone.localdate()))
    classes = selectors.attendance_class_overview(user=request.user, month=month)
    return render(
        request,
        "admissions/attendance_index.html",
        {
            "month": format_month(month),
            "recent_months": [format_month(m) for m in _recent_months()],
            "classes": classes,
        },
    )


class ClassDefaultsForm(forms.Form):
    days_open = forms.IntegerField(
        label=gettext_lazy("Days the class was open"),
        min_value=0,
        max_value=31,
        required=False,
        help_text=gettext_lazy("Used for every child whose days open are left empty."),
    )


class AttendanceRowForm(forms.Form):
    days_open = forms.IntegerField(
        label=gettext_lazy("Days open"), min_value=0, max_value=31, required=False
    )
    days_attended = forms.IntegerField(
        label=gettext_lazy("Days attended"), min_value=0, max_value=31
    )


@dataclass
class Row:
    enrolment: Enrolment
    form: AttendanceRowForm

    @property
    def key(self) -> str:
        return f"e{self.enrolment.pk}"

    @property
    def locked(self) -> bool:
        reported = self.enrolment.reported
        return bool(reported and reported.used_by_payout_run_id)


def _rows(enrolments: list[Enrolment], data=None) -> list[Row]:
    rows = []
    for enrolment in enrolments:
        reported = enrolment.reported
        initial = (
            {"days_open": reported.days_open, "days_attended": reported.days_attended}
            if reported
            else {}
        )
        form = AttendanceRowForm(data, prefix=f"e{enrolment.pk}", initial=initial)
        row = Row(enrolment, form)
        if row.locked:
            for field in form.fields.values():
                field.disabled = True
        rows.append(row)
    return rows


def _entries(rows: list[Row], defaults: ClassDefaultsForm, month: date):
    entries = []
    default_open = defaults.cleaned_data.get("days_open") if defaults.is_valid() else None
    for row in rows:
        if row.locked or not row.form.is_valid():
            continue
        days_open = row.form.cleaned_data["days_open"]
        if days_open is None:
            days_open = default_open
        if days_open is None:
            row.form.add_error("days_open", _("Enter the days open, here or for the whole class."))
            continue
        days_attended = row.form.cleaned_data["days_attended"]
        entries.append(
            services.AttendanceEntry(row.enrolment.pk, month, days_open, days_attended, row.key)
        )
    return entries


def _show_errors(rows: list[Row], row_errors: dict) -> None:
    by_key = {row.key: row for row in rows}
    for key, errors in row_errors.items():
        row = by_key.get(key)
        if row is None:
            continue
        for field, field_messages in errors.items():
            for message in field_messages:
                row.form.add_error(field if field in row.form.fields else None, message)


def _save_class(request, rows: list[Row], defaults: ClassDefaultsForm, month: date) -> bool:
    entries = _entries(rows, defaults, month)
    has_errors = not defaults.is_valid() or any(row.form.errors for row in rows if not row.locked)
    _show_errors(rows, services.attendance_check(entries=entries, actor=request.user))
    if has_errors or any(row.form.errors for row in rows):
        return False
    if not entries:
        messages.info(request, _("There is nothing to save on this page."))
        return False
    try:
        outcomes = services.attendance_report_batch(entries=entries, actor=request.user)
    except services.AttendanceError as error:
        _show_errors(rows, error.row_errors)
        return False
    counts = services.attendance_outcome_counts(outcomes)
    messages.success(
        request,
        _("Saved: %(created)d reported, %(corrected)d corrected, %(unchanged)d unchanged.")
        % counts,
    )
    return True


@require_http_methods(["GET", "POST"])
@reporter_required
def attendance_class(request, class_id: int, month: str):
    """One class, one month: a row per enrolment running in the month, with its figures."""
    try:
        first_day = parse_month(month)
    except ValueError:
        raise Http404 from None
    centre_class = get_object_or_404(
        selectors.attendance_class_list(user=request.user), pk=class_id
    )
    enrolments = selectors.class_month_enrolments(
        user=request.user, centre_class=centre_class, month=first_day
    )
    data = request.POST if request.method == "POST" else None
    defaults = ClassDefaultsForm(data, prefix="all")
    rows = _rows(enrolments, data)
    if data is not None:
        if _save_class(request, rows, defaults, first_day):
            return redirect(f"{reverse('centre-attendance')}?month={format_month(first_day)}")
        messages.error(request, _("Nothing was saved: correct the rows marked below."))
    return render(
        request,
        "admissions/attendance_class.html",
        {
            "centre_class": centre_class,
            "month": format_month(first_day),
            "defaults": defaults,
            "rows": rows,
        },
        status=400 if data is not None else 200,
    )


# Spreadsheets


@require_GET
@reporter_required
def attendance_template(request):
    """The spreadsheet to fill in: one row per enrolment running in the month, with the figures
    already on file."""
    month = _month_or(request.GET.get("month"), _previous_month(timezone.localdate()))
    enrolments = selectors.centre_month_enrolments(user=request.user, month=month)
    label = format_month(month)
    rows = (
        [
            enrolment.child.full_name,
            enrolment.pk,
            label,
            enrolment.reported.days_open if enrolment.reported else None,
            enrolment.reported.days_attended if enrolment.reported else None,
        ]
        for enrolment in enrolments
    )
    return xlsx_response(
        f"出勤-{label}.xlsx", list(COLUMNS.values()), rows, sheet_title=f"出勤 {label}"
    )


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Attendance spreadsheet (.xlsx or .csv)"),
        help_text=gettext_lazy("Use the template: one row per child and month."),
    )


def _sheet_month(text: str) -> date:
    # A spreadsheet program may turn "2026-03" into a date, which reads back as "2026-03-01".
    if len(text) == 10 and text.endswith("-01"):
        text = text[:7]
    return parse_month(text.replace("/", "-"))


def _sheet_number(text: str) -> int:
    if not text.isdigit():
        raise ValueError
    return int(text)


PARSERS = {
    "enrolment": (_sheet_number, gettext_lazy("Give the enrolment number from the template.")),
    "month": (_sheet_month, gettext_lazy("Give the month as YYYY-MM.")),
    "days_open": (_sheet_number, gettext_lazy("Give a whole number of days.")),
    "days_attended": (_sheet_number, gettext_lazy("Give a whole number of days.")),
}


def _parse_row(number: int, record: dict[str, str], problems: list[dict]):
    values = {}
    for field, (parse, message) in PARSERS.items():
        try:
            values[field] = parse(record.get(COLUMNS[field], ""))
        except ValueError:
            problems.append({"row": number, "column": COLUMNS[field], "reason": str(message)})
    if len(values) < len(PARSERS):
        return None
    return services.AttendanceEntry(
        enrolment_id=values["enrolment"],
        month=values["month"],
        days_open=values["days_open"],
        days_attended=values["days_attended"],
        key=str(number),
        child_name=record.get(COLUMNS["child_name"], ""),
    )


def _problems(row_errors: dict) -> list[dict]:
    return [
        {"row": int(key), "column": COLUMNS.get(field, field), "reason": message}
        for key, errors in row_errors.items()
        for field, field_messages in errors.items()
        for message in field_messages
    ]


def import_sheet(uploaded, *, actor) -> tuple[dict[str, int] | None, list[dict]]:
    """Read, check and save a filled-in template: (counts, []) or (None, problems), where each
    problem names its row, column and reason. Nothing is saved unless every row is right."""
    try:
        table = read_table(uploaded)
    except SpreadsheetError as error:
        return None, [{"row": None, "column": "", "reason": error.message}]
    missing = [COLUMNS[f] for f in REQUIRED_COLUMNS if COLUMNS[f] not in table.headers]
    if missing:
        reason = _("This column is missing: use the template's headers.")
        return None, [{"row": 1, "column": column, "reason": reason} for column in missing]
    problems: list[dict] = []
    entries = [
        entry
        for number, record in table.records()
        if (entry := _parse_row(number, record, problems)) is not None
    ]
    if not table.rows:
        problems.append({"row": None, "column": "", "reason": _("The file has no data rows.")})
    problems += _problems(services.attendance_check(entries=entries, actor=actor))
    if problems:
        return None, sorted(problems, key=lambda p: (p["row"] or 0, p["column"]))
    try:
        outcomes = services.attendance_report_batch(entries=entries, actor=actor)
    except services.AttendanceError as error:
        return None, _problems(error.row_errors)
    return services.attendance_outcome_counts(outcomes), []


@require_http_methods(["GET", "POST"])
@reporter_required
def attendance_upload(request):
    form = UploadForm(request.POST or None, request.FILES or None)
    problems: list[dict] = []
    if request.method == "POST" and form.is_valid():
        counts, problems = import_sheet(form.cleaned_data["file"], actor=request.user)
        if counts is not None:
            messages.success(
                request,
                _("Saved: %(created)d reported, %(corrected)d corrected, %(unchanged)d unchanged.")
                % counts,
            )
            return redirect("centre-attendance")
    return render(
        request,
        "admissions/attendance_upload.html",
        {
            "form": form,
            "problems": problems,
            "month": format_month(_previous_month(timezone.localdate())),
        },
        status=400 if request.method == "POST" else 200,
    )
