"""The headline figures as cards, grouped in sections, each linking to the rows behind it."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from ..definitions import DEFINITIONS
from .common import Card, Link, Section, no_link


def _card(key, label, value, link: Link, figure: str, unit="", **params) -> Card:
    return Card(key, label, value, link(figure, **params), unit, DEFINITIONS[figure])


def cards(figures: dict, link: Link = no_link) -> list[Section]:
    """Headline figures, grouped; sections a scope does not have are left out."""
    sections = []
    centres, classes = figures["centres"], figures["classes"]
    if centres or classes:
        found = []
        if centres:
            found += [
                _card(
                    "federation_centres",
                    _("Centres in the industry federation"),
                    centres["federation_centres"],
                    link,
                    "federation-centres",
                ),
                _card(
                    "federation_staff",
                    _("Their staff in the federation"),
                    centres["federation_staff"],
                    link,
                    "federation-centres",
                    _("people"),
                ),
                _card(
                    "welfare_centres",
                    _("Centres offering welfare childcare"),
                    centres["welfare_centres"],
                    link,
                    "welfare-centres",
                ),
            ]
        if classes:
            found += [
                _card(
                    "caring_classes",
                    _("Caring-childcare classes"),
                    classes["caring_classes"],
                    link,
                    "caring-classes",
                ),
                _card(
                    "class_places_free",
                    _("Free places in those classes"),
                    classes["places_free"],
                    link,
                    "caring-classes",
                ),
            ]
        sections.append(Section(_("Centres and classes"), found))
    sections.append(_programme_cards(figures, link))
    sections.append(_children_cards(figures, link))
    sections.append(_money_cards(figures, link))
    welfare = _welfare_cards(figures, link)
    if welfare.cards:
        sections.append(welfare)
    return sections


def _programme_cards(figures: dict, link: Link) -> Section:
    places = figures["places"]
    return Section(
        _("Programmes and places"),
        [
            _card(
                "programmes",
                _("Programmes running"),
                figures["programmes"]["total"],
                link,
                "programmes",
            ),
            _card("places_bought", _("Places bought"), places["bought"], link, "place-agreements"),
            _card("places_used", _("Places used"), places["used"], link, "place-agreements"),
            _card("places_vacant", _("Places vacant"), places["vacant"], link, "place-agreements"),
        ],
    )


def _children_cards(figures: dict, link: Link) -> Section:
    applications, children = figures["applications"], figures["children"]
    waiting = applications["median_waiting_days"]
    return Section(
        _("Applications and children"),
        [
            _card(
                "applications",
                _("Applications submitted"),
                applications["submitted"],
                link,
                "applications",
            ),
            _card("offers", _("First offers made"), applications["offered"], link, "offers"),
            _card(
                "median_waiting_days",
                _("Median waiting days"),
                "—" if waiting is None else waiting,
                link,
                "offers",
                _("days"),
            ),
            _card(
                "children_enrolled",
                _("Children enrolled"),
                children["enrolled"],
                link,
                "enrolments",
            ),
            _card(
                "children_served",
                _("Children served (person-months)"),
                children["served"],
                link,
                "served",
            ),
        ],
    )


def _money_cards(figures: dict, link: Link) -> Section:
    subsidies = figures["subsidies"]
    found = [
        _card(
            "subsidy_paid",
            _("Subsidy paid"),
            subsidies["paid"],
            link,
            "subsidy-lines",
            _("yuan"),
        )
    ]
    if subsidies["budget"] is not None:
        found.append(_card("budget", _("Budget"), subsidies["budget"], link, "budgets", _("yuan")))
    return Section(_("Subsidies"), found)


def _welfare_cards(figures: dict, link: Link) -> Section:
    found = []
    if figures["pilots"] is not None:
        found.append(
            _card(
                "pilot_units",
                _("Pilot units"),
                figures["pilots"]["units"],
                link,
                "pilot-units",
            )
        )
    if figures["mother_rooms"] is not None:
        found.append(
            _card(
                "mother_rooms",
                _("Caring mother rooms"),
                figures["mother_rooms"]["total"],
                link,
                "mother-rooms",
            )
        )
    if figures["care_classes"] is not None:
        found.append(
            _card(
                "care_classes",
                _("Union care classes"),
                figures["care_classes"]["total"],
                link,
                "care-classes",
            )
        )
    return Section(_("Pilots and warm-heart services"), found)


def summary_rows(sections: list[Section]) -> list[list[Any]]:
    return [
        [section.title, card.label, card.value, card.unit]
        for section in sections
        for card in section.cards
    ]
