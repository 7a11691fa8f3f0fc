"""What each list of rows is, in words union staff read on the page (and in its export)."""

from django.utils.translation import gettext_lazy as _

ROW_TITLES = {
    "federation-centres": _("Centres in the industry federation"),
    "welfare-centres": _("Centres offering welfare childcare"),
    "caring-classes": _("Caring-childcare classes"),
    "programmes": _("Programmes"),
    "place-agreements": _("Place agreements"),
    "applications": _("Applications submitted"),
    "offers": _("First offers"),
    "enrolments": _("Enrolments"),
    "served": _("Months attended"),
    "subsidy-lines": _("Subsidy payments"),
    "budgets": _("Budgets"),
    "pilot-units": _("Pilot units"),
    "mother-rooms": _("Caring mother rooms"),
    "care-classes": _("Union care classes"),
}

DEFINITIONS = {
    "federation-centres": _(
        "Approved centres whose industry union federation is set; staff is the sum of their "
        "staff in the federation."
    ),
    "welfare-centres": _("Approved centres offering welfare childcare to union members."),
    "caring-classes": _(
        "Open classes at centres that take part in at least one approved programme."
    ),
    "programmes": _("Approved programmes running at some time in the period."),
    "place-agreements": _(
        "Places bought under agreements of approved programmes in force at some time in the "
        "period; used is the places taken now, vacant is bought minus used."
    ),
    "applications": _("Applications submitted in the period, by their state now."),
    "offers": _(
        "Applications whose first offer was made in the period; waiting days run from "
        "submission to that offer, and the figure is their median."
    ),
    "enrolments": _("Enrolments overlapping the period; children enrolled counts each child once."),
    "served": _(
        "Children served (person-months): months of the period in which the centre reported "
        "at least one day attended, one per enrolment and month."
    ),
    "subsidy-lines": _(
        "Payout lines counted as paid: payable or paid lines of runs that are approved, "
        "exported or paid, by the month of the run (adjustments included)."
    ),
    "budgets": _("Budgets of the schemes for the years of the period (city-wide)."),
    "pilot-units": _(
        "Published, recommended units; a nomination to Tangshan or Hebei counts once the "
        "higher level approved it. A unit counts once per level."
    ),
    "mother-rooms": _("Approved caring mother rooms, by level and version."),
    "care-classes": _("Union care classes open or closed (drafts are not counted)."),
}
