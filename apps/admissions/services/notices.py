"""Notices about applications and enrolments, to the people each move concerns.

Texts are English source strings filled lazily, so `notice_send` renders them in each
recipient's language. Employer admins never get a child's name: only the applicant's.
"""

from __future__ import annotations

import re

from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from apps.centres.models import AgeClass, CentreAdmin
from apps.core.redaction import redact
from apps.employers.models import EmployerAdmin
from apps.employers.pricing import format_month

from ..models import Application
from .records import notices_send

PARENT, CENTRE, EMPLOYER = "parent", "centre", "employer"

# event -> {audience: (title, body)}; bodies may use %(reason)s and the event's own values.
MESSAGES = {
    "confirmation_needed": {
        EMPLOYER: (
            _("Please confirm that %(applicant)s works for you"),
            _("%(applicant)s applied to %(programme)s for the %(age_class)s from %(month)s."),
        )
    },
    "employment_confirmed": {
        PARENT: (
            _("%(employer)s confirmed your employment"),
            _("The application for %(child)s to %(programme)s goes ahead."),
        )
    },
    "waiting": {
        PARENT: (
            _("%(child)s is on the waiting list at %(centre)s"),
            _("No place is free yet; you are number %(place)s in line."),
        )
    },
    "offered": {
        PARENT: (
            _("A place is offered for %(child)s at %(centre)s"),
            _("Accept or decline it in the parent portal by %(deadline)s."),
        )
    },
    "enrolled": {
        CENTRE: (
            _("New enrolment: %(child)s"),
            _("%(child)s joins %(class_name)s from %(month)s (%(programme)s)."),
        )
    },
    "declined": {
        CENTRE: (
            _("An offered place was declined"),
            _("The place in %(class_name)s offered for %(child)s was declined."),
        )
    },
    "expired": {
        PARENT: (
            _("The place offered for %(child)s has expired"),
            _("The offer was not answered in time; the place goes to the next in line."),
        ),
        CENTRE: (
            _("An offer expired"),
            _("The place in %(class_name)s offered for %(child)s was not answered in time."),
        ),
    },
    "withdrawn": {
        CENTRE: (
            _("An application was withdrawn"),
            _("The application for %(child)s to %(programme)s was withdrawn."),
        ),
    },
    "withdrawn_unconfirmed": {
        EMPLOYER: (
            _("%(applicant)s withdrew an application"),
            _("No confirmation is needed any more for %(programme)s."),
        ),
    },
    "rejected": {
        PARENT: (
            _("The application for %(child)s was not accepted"),
            _("Reason: %(reason)s"),
        )
    },
    "ended_by_centre": {
        PARENT: (
            _("The place of %(child)s at %(centre)s ends"),
            _("The last day is %(end_date)s."),
        )
    },
    "ended_by_parent": {
        CENTRE: (
            _("Enrolment ends: %(child)s"),
            _("The last day of %(child)s in %(class_name)s is %(end_date)s."),
        )
    },
    "aged_out": {
        PARENT: (
            _("The place of %(child)s at %(centre)s ends"),
            _("%(child)s has outgrown the programme's oldest class; the last day is %(end_date)s."),
        ),
        CENTRE: (
            _("Enrolment ends: %(child)s"),
            _("%(child)s has outgrown the programme's oldest class; the last day is %(end_date)s."),
        ),
    },
    "moved_up": {
        PARENT: (
            _("%(child)s moves up to %(class_name)s"),
            _("From %(month)s %(child)s is in the %(age_class)s at %(centre)s."),
        ),
        CENTRE: (
            _("%(child)s moves up to %(class_name)s"),
            _("From %(month)s %(child)s is in the %(age_class)s."),
        ),
    },
    "no_room_to_move_up": {
        CENTRE: (
            _("No room to move %(child)s up"),
            _(
                "%(child)s has outgrown the %(from_age_class)s but no %(age_class)s here has "
                "a free place; %(child)s stays in %(from_class_name)s for now."
            ),
        )
    },
}


def _fill(message, values: dict):
    # Rendered when notice_send switches to the recipient's language, not the actor's.
    return lazy(lambda: str(message) % {k: str(v) for k, v in values.items()}, str)()


# Each value is read only when a message names it: a notice costs no query for a row it
# does not mention (e.g. the class of an offer, the employer of a waiting family).
VALUES = {
    "child": lambda a: a.child.full_name,
    "applicant": lambda a: a.applicant.full_name,
    "programme": lambda a: a.programme.name,
    "centre": lambda a: a.centre.name,
    "employer": lambda a: a.employer.name if a.employer_id else "",
    "age_class": lambda a: AgeClass(a.age_class).label,
    "month": lambda a: format_month(a.start_month),
    "class_name": lambda a: a.centre_class.name if a.centre_class_id else "",
}
NAMES = re.compile(r"%\((\w+)\)s")


def _values(application: Application, event: str, extra: dict) -> dict:
    named = {
        name
        for title, body in MESSAGES[event].values()
        # Every translation keeps the placeholders, so the current language's text will do.
        for name in NAMES.findall(f"{title} {body}")
    }
    values = {name: VALUES[name](application) for name in named if name in VALUES}
    return {**values, **extra}


def _recipients(application: Application, audience: str) -> list:
    if audience == PARENT:
        user = application.applicant.user
        return [user] if user is not None else []
    if audience == CENTRE:
        links = CentreAdmin.objects.filter(centre_id=application.centre_id)
    else:
        if application.employer_id is None:
            return []
        links = EmployerAdmin.objects.filter(employer_id=application.employer_id)
    return [link.user for link in links.select_related("user") if link.user.is_active]


LINKS = {
    PARENT: "/parent/applications/{pk}/",
    CENTRE: "/centre/applications/",
    EMPLOYER: "/employer/confirmations/",
}


def notify(application: Application, event: str, *, reason: str = "", **extra) -> None:
    """Send the event's notices to each audience it names (none for unknown recipients)."""
    values = _values(application, event, {"reason": redact(reason), **extra})
    notices = []
    for audience, (title, body) in MESSAGES[event].items():
        # The employer's notice names the applicant, never the child.
        if audience == EMPLOYER:
            values = {**values, "child": ""}
        link = LINKS[audience].format(pk=application.pk)
        for user in _recipients(application, audience):
            notices.append((user, _fill(title, values), _fill(body, values), link))
    notices_send(notices)
