"""The indicators as rows a page can show beside the evidence."""

from django.utils.translation import gettext as _


def _share(part: int, whole: int) -> str:
    if not whole:
        return _("none")
    return _("%(part)d of %(whole)d (%(percent)d%%)") % {
        "part": part,
        "whole": whole,
        "percent": round(100 * part / whole),
    }


def indicator_rows(indicators: dict) -> list[tuple[str, str]]:
    if not indicators:
        return []
    return [
        (
            _("Classes within the national staff ratios"),
            _share(indicators["classes_within_ratio"], indicators["classes"]),
        ),
        (
            _("Places used against places bought"),
            _share(indicators["places_taken"], indicators["places_bought"]),
        ),
        (
            _("Monthly attendance reported on time (last 12 months)"),
            _share(indicators["attendance_on_time"], indicators["attendance_reports"]),
        ),
        (
            _("Welfare childcare offered to union members"),
            _("yes") if indicators["welfare_childcare"] else _("no"),
        ),
    ]
