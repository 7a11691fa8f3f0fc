"""The columns of each list of rows, for its page and its export. Only what checks a figure:
numbers, states, dates and organisations; no child's or parent's name, no ID or account number.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Column:
    header: Any
    value: Callable[[Any], Any]


def _month(value) -> str:
    return f"{value:%Y-%m}" if value else ""


def _organiser(programme) -> Any:
    return programme.lead_employer or programme.federation


CENTRE = [
    Column(_("Centre"), lambda c: c.name),
    Column(_("Area"), lambda c: c.area.name),
    Column(_("Industry federation"), lambda c: c.federation.name if c.federation else ""),
    Column(_("Staff in the federation"), lambda c: c.federation_staff_count),
    Column(
        _("Offers welfare childcare"), lambda c: _("yes") if c.offers_welfare_childcare else _("no")
    ),
    Column(_("Filing"), lambda c: c.get_filing_status_display()),
]

COLUMNS: dict[str, list[Column]] = {
    "federation-centres": CENTRE,
    "welfare-centres": CENTRE,
    "caring-classes": [
        Column(_("Centre"), lambda k: k.centre.name),
        Column(_("Area"), lambda k: k.centre.area.name),
        Column(_("Class"), lambda k: k.name),
        Column(_("Age class"), lambda k: k.get_age_class_display()),
        Column(_("Capacity"), lambda k: k.capacity),
        Column(_("Places taken"), lambda k: k.places_taken),
        Column(_("Places free"), lambda k: k.places_free),
    ],
    "programmes": [
        Column(_("Programme"), lambda p: p.name),
        Column(_("Model"), lambda p: p.get_delivery_model_display()),
        Column(_("Funder"), lambda p: p.get_subsidy_funder_display()),
        Column(_("Organiser"), lambda p: str(_organiser(p) or "")),
        Column(_("Runs from"), lambda p: p.start_date),
        Column(_("Runs until"), lambda p: p.end_date),
    ],
    "place-agreements": [
        Column(_("Programme"), lambda a: a.programme.name),
        Column(_("Buyer"), lambda a: str(a.buyer_employer or a.buyer_union)),
        Column(_("Centre"), lambda a: a.centre.name),
        Column(_("Age class"), lambda a: a.get_age_class_display()),
        Column(_("Bought"), lambda a: a.places),
        Column(_("Used"), lambda a: a.places_taken),
        Column(_("Vacant"), lambda a: a.places_free),
        Column(_("From month"), lambda a: _month(a.start_month)),
        Column(_("Until month"), lambda a: _month(a.end_month)),
    ],
    "applications": [
        Column(_("Application no."), lambda a: a.pk),
        Column(_("Programme"), lambda a: a.programme.name),
        Column(_("Centre"), lambda a: a.centre.name),
        Column(_("Age class"), lambda a: a.get_age_class_display()),
        Column(_("State"), lambda a: a.get_state_display()),
        Column(_("Submitted at"), lambda a: a.submitted_at),
        Column(_("State changed at"), lambda a: a.state_changed_at),
    ],
    "offers": [
        Column(_("Application no."), lambda a: a.pk),
        Column(_("Programme"), lambda a: a.programme.name),
        Column(_("Centre"), lambda a: a.centre.name),
        Column(_("State now"), lambda a: a.get_state_display()),
        Column(_("Submitted at"), lambda a: a.submitted_at),
        Column(_("First offer at"), lambda a: a.offered_at),
        Column(
            _("Waiting days"),
            lambda a: round((a.offered_at - a.submitted_at).total_seconds() / 86400, 1),
        ),
    ],
    "enrolments": [
        Column(_("Enrolment no."), lambda e: e.pk),
        Column(_("Child no."), lambda e: e.child_id),
        Column(_("Centre"), lambda e: e.centre.name),
        Column(_("Class"), lambda e: e.centre_class.name),
        Column(_("Programme"), lambda e: e.programme.name),
        Column(_("Employer"), lambda e: e.employer.name if e.employer else ""),
        Column(_("Status"), lambda e: e.get_status_display()),
        Column(_("Start date"), lambda e: e.start_date),
        Column(_("End date"), lambda e: e.end_date),
    ],
    "served": [
        Column(_("Enrolment no."), lambda a: a.enrolment_id),
        Column(_("Centre"), lambda a: a.enrolment.centre.name),
        Column(_("Month"), lambda a: _month(a.month)),
        Column(_("Days open"), lambda a: a.days_open),
        Column(_("Days attended"), lambda a: a.days_attended),
    ],
    "subsidy-lines": [
        Column(_("Line no."), lambda line: line.pk),
        Column(_("Month"), lambda line: _month(line.run.period)),
        Column(_("Scheme"), lambda line: line.scheme.name),
        Column(_("Funder"), lambda line: line.get_funder_display()),
        Column(_("Paid to"), lambda line: line.get_payee_kind_display()),
        Column(_("Centre"), lambda line: line.centre.name if line.centre else ""),
        Column(_("Employer"), lambda line: line.employer.name if line.employer else ""),
        Column(_("Amount (yuan)"), lambda line: line.amount),
        Column(_("Line status"), lambda line: line.get_status_display()),
        Column(_("Run status"), lambda line: line.run.get_status_display()),
    ],
    "budgets": [
        Column(_("Scheme"), lambda b: b.scheme.name),
        Column(_("Funder"), lambda b: b.scheme.get_funder_display()),
        Column(_("Year"), lambda b: b.year),
        Column(_("Budget (yuan)"), lambda b: b.amount),
        Column(_("Reserved (yuan)"), lambda b: b.reserved),
        Column(_("Committed (yuan)"), lambda b: b.committed),
        Column(_("Available (yuan)"), lambda b: b.available),
    ],
    "pilot-units": [
        Column(_("Year"), lambda r: r.round.year),
        Column(_("Level"), lambda r: r.round.get_level_display()),
        Column(_("Employer"), lambda r: r.application.employer.name),
        Column(_("Total score"), lambda r: r.total),
        Column(_("Rank"), lambda r: r.rank),
        Column(_("Higher level's decision"), lambda r: r.get_decision_display()),
    ],
    "mother-rooms": [
        Column(_("Room"), lambda m: m.name),
        Column(_("Level"), lambda m: m.get_level_display()),
        Column(_("Version"), lambda m: m.get_version_display()),
        Column(_("Host"), lambda m: str(m.host)),
        Column(_("Area"), lambda m: m.area.name),
        Column(_("Address"), lambda m: m.address),
    ],
    "care-classes": [
        Column(_("Care class"), lambda c: c.name),
        Column(_("Kind"), lambda c: c.get_kind_display()),
        Column(_("Status"), lambda c: c.get_status_display()),
        Column(_("Organiser"), lambda c: str(c.organiser)),
        Column(_("Area"), lambda c: c.area.name),
        Column(_("Capacity"), lambda c: c.capacity),
        Column(_("Children enrolled"), lambda c: c.enrolled),
        Column(_("Recognised by"), lambda c: c.get_recognised_by_display()),
    ],
}
