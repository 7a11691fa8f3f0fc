"""Pages for attendance (centre portal) and privacy (parent portal), with full paths; the
project's urls.py includes this module at the root."""

from django.urls import path

from .views import attendance, privacy

urlpatterns = [
    path("centre/attendance/", attendance.attendance_index, name="centre-attendance"),
    path(
        "centre/attendance/<int:class_id>/<str:month>/",
        attendance.attendance_class,
        name="centre-attendance-class",
    ),
    path(
        "centre/attendance/template.xlsx",
        attendance.attendance_template,
        name="centre-attendance-template",
    ),
    path(
        "centre/attendance/upload/", attendance.attendance_upload, name="centre-attendance-upload"
    ),
    path("parent/privacy/", privacy.privacy_page, name="parent-privacy"),
    path("parent/privacy/export.json", privacy.privacy_export, name="parent-privacy-export"),
]
