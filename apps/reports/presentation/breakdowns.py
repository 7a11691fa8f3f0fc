"""The breakdown tables: each a chart's numbers, or a table on its own, with links per cell."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from apps.employers.models import Programme

from .common import Cell, Link, Table, no_link


def trend_table(figures: dict, link: Link) -> Table:
    table = Table(
        "trend",
        _("Month by month"),
        [_("Month"), _("Enrolments running"), _("Children served"), _("Subsidy paid (yuan)")],
        chart="trend",
    )
    for row in figures["trend"]:
        month = row["month"]
        table.rows.append(
            [
                Cell(month),
                Cell(row["enrolments"], link("enrolments", month=month)),
                Cell(row["served"], link("served", month=month)),
                Cell(row["subsidy_paid"], link("subsidy-lines", month=month)),
            ]
        )
    return table


def programme_table(figures: dict, link: Link) -> Table:
    funders = Programme.Funder
    table = Table(
        "programmes",
        _("Programmes by model and funder"),
        [_("Model"), *[f.label for f in funders], _("Total")],
        chart="programmes",
    )
    counts = {
        (r["model"], r["funder"]): r["count"] for r in figures["programmes"]["by_model_and_funder"]
    }
    for model in figures["programmes"]["by_model"]:
        code = model["model"]
        table.rows.append(
            [
                Cell(model["label"]),
                *[
                    Cell(counts[(code, f.value)], link("programmes", model=code, funder=f.value))
                    for f in funders
                ],
                Cell(model["count"], link("programmes", model=code)),
            ]
        )
    return table


def vacancy_table(figures: dict, link: Link) -> Table:
    table = Table(
        "vacancy",
        _("Vacant places by centre"),
        [_("Centre"), _("Bought"), _("Used"), _("Vacant")],
        chart="vacancy",
        note=_("The centres with the most vacant places, at most 15."),
    )
    for row in figures["places"]["by_centre"]:
        rows = link("place-agreements", centre=row["centre_id"])
        table.rows.append(
            [
                Cell(row["centre"]),
                Cell(row["bought"], rows),
                Cell(row["used"], rows),
                Cell(row["vacant"], rows),
            ]
        )
    return table


def application_table(figures: dict, link: Link) -> Table:
    table = Table("applications", _("Applications by state"), [_("State"), _("Applications")])
    for row in figures["applications"]["by_state"]:
        table.rows.append(
            [Cell(row["label"]), Cell(row["count"], link("applications", state=row["state"]))]
        )
    return table


def subsidy_table(figures: dict, link: Link) -> Table:
    with_budget = figures["subsidies"]["budget"] is not None
    headers = [_("Scheme"), _("Funder"), _("Paid (yuan)")]
    if with_budget:
        headers += [_("Budget (yuan)"), _("Paid of budget (%)")]
    table = Table("subsidies", _("Subsidy paid by scheme"), headers)
    for row in figures["subsidies"]["by_scheme"]:
        cells = [
            Cell(row["scheme"]),
            Cell(row["funder_label"]),
            Cell(row["paid"], link("subsidy-lines", scheme=row["scheme_id"])),
        ]
        if with_budget:
            cells += [
                Cell(row["budget"], link("budgets", scheme=row["scheme_id"])),
                Cell(row["budget_used_percent"]),
            ]
        table.rows.append(cells)
    if with_budget:
        table.note = _("Budgets are city-wide and cover the whole years of the period.")
    return table


def funder_table(figures: dict, link: Link) -> Table:
    table = Table("funders", _("Subsidy paid by funder"), [_("Funder"), _("Paid (yuan)")])
    for row in figures["subsidies"]["by_funder"]:
        table.rows.append(
            [Cell(row["label"]), Cell(row["paid"], link("subsidy-lines", funder=row["funder"]))]
        )
    return table


def pilot_table(figures: dict, link: Link) -> Table:
    table = Table("pilots", _("Pilot units by year and level"), [_("Year"), _("Level"), _("Units")])
    for row in figures["pilots"]["by_year"]:
        rows = link("pilot-units", year=row["year"], level=row["level"])
        table.rows.append([Cell(row["year"]), Cell(row["label"]), Cell(row["units"], rows)])
    for row in figures["pilots"]["by_level"]:
        rows = link("pilot-units", level=row["level"])
        table.rows.append([Cell(_("All years")), Cell(row["label"]), Cell(row["units"], rows)])
    return table


def mother_room_table(figures: dict, link: Link) -> Table:
    table = Table(
        "mother-rooms",
        _("Caring mother rooms by level"),
        [_("Level"), _("Public version"), _("Enterprise version"), _("Total")],
    )
    for row in figures["mother_rooms"]["by_level"]:
        level = row["level"]
        table.rows.append(
            [
                Cell(row["label"]),
                Cell(row["public"], link("mother-rooms", level=level, version="public")),
                Cell(row["enterprise"], link("mother-rooms", level=level, version="enterprise")),
                Cell(row["total"], link("mother-rooms", level=level)),
            ]
        )
    return table


def care_class_table(figures: dict, link: Link) -> Table:
    care = figures["care_classes"]
    table = Table("care-classes", _("Union care classes"), [_("Figure"), _("Value")])
    for label, value, params in (
        (_("All (not drafts)"), care["total"], {}),
        (_("Open for enrolment"), care["open"], {"status": "open"}),
        (_("Holiday care classes"), care["holiday"], {"kind": "holiday"}),
        (_("After-school care classes"), care["after_school"], {"kind": "after_school"}),
        (_("Recognised by Tangshan"), care["recognised_tangshan"], {"recognised_by": "tangshan"}),
        (_("Recognised by Qian'an"), care["recognised_qianan"], {"recognised_by": "qianan"}),
        (_("Children enrolled"), care["children_enrolled"], {}),
    ):
        table.rows.append([Cell(label), Cell(value, link("care-classes", **params))])
    return table


TABLES = {
    "trend": (trend_table, None),
    "programmes": (programme_table, None),
    "vacancy": (vacancy_table, None),
    "applications": (application_table, None),
    "subsidies": (subsidy_table, None),
    "funders": (funder_table, None),
    "pilots": (pilot_table, "pilots"),
    "mother-rooms": (mother_room_table, "mother_rooms"),
    "care-classes": (care_class_table, "care_classes"),
}


def tables(figures: dict, link: Link = no_link) -> list[Table]:
    """The scope's tables; a table whose section the scope lacks is left out."""
    return [
        build(figures, link)
        for build, needs in TABLES.values()
        if needs is None or figures[needs] is not None
    ]


def table(name: str, figures: dict, link: Link = no_link) -> Table | None:
    build, needs = TABLES[name]
    if needs is not None and figures[needs] is None:
        return None
    return build(figures, link)
