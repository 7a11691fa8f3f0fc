"""The application state table and the one function that moves an application along it.

Every move checks the table (from, to, who), locks the row, records who, when, from, to and
why in the audit trail, and refuses anything else with nothing changed. The services in
applications.py, offers.py and enrolments.py add the places, the enrolment and the notices.
"""

from __future__ import annotations

from enum import StrEnum

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..errors import AdmissionsCode, AdmissionsError, full_clean_or_refuse
from ..models import Application
from .records import Audit, audit_records

State = Application.State


class By(StrEnum):
    """Who makes a move: the system (a task or the follow-up of another move) or a role."""

    SYSTEM = "system"
    PARENT = "parent"
    EMPLOYER_ADMIN = "employer_admin"
    CENTRE_ADMIN = "centre_admin"
    UNION_STAFF = "union_staff"
    OTHER = "other"


# (from, to) -> who may make the move. Anything not here is refused.
MOVES: dict[tuple[str, str], frozenset[By]] = {
    (State.SUBMITTED, State.EMPLOYMENT_CONFIRMED): frozenset({By.SYSTEM, By.EMPLOYER_ADMIN}),
    (State.SUBMITTED, State.REJECTED): frozenset({By.EMPLOYER_ADMIN}),
    (State.EMPLOYMENT_CONFIRMED, State.OFFERED): frozenset({By.SYSTEM, By.CENTRE_ADMIN}),
    (State.EMPLOYMENT_CONFIRMED, State.WAITING): frozenset({By.SYSTEM}),
    (State.WAITING, State.OFFERED): frozenset({By.SYSTEM, By.CENTRE_ADMIN}),
    (State.OFFERED, State.ENROLLED): frozenset({By.PARENT}),
    (State.OFFERED, State.DECLINED): frozenset({By.PARENT}),
    (State.OFFERED, State.EXPIRED): frozenset({By.SYSTEM}),
    (State.SUBMITTED, State.WITHDRAWN): frozenset({By.PARENT}),
    (State.EMPLOYMENT_CONFIRMED, State.WITHDRAWN): frozenset({By.PARENT}),
    (State.WAITING, State.WITHDRAWN): frozenset({By.PARENT}),
    (State.OFFERED, State.WITHDRAWN): frozenset({By.PARENT}),
    (State.EMPLOYMENT_CONFIRMED, State.REJECTED): frozenset({By.CENTRE_ADMIN}),
    (State.WAITING, State.REJECTED): frozenset({By.CENTRE_ADMIN}),
    # The system too: the ageing run ends a child past the programme's oldest class.
    (State.ENROLLED, State.ENDED): frozenset({By.CENTRE_ADMIN, By.PARENT, By.SYSTEM}),
}
# Moves that need a reason from the person making them.
REASON_REQUIRED = frozenset({State.REJECTED})
REASON_MAX_LENGTH = 300
# Checked by the database; full_clean would spend a query on each.
FOREIGN_KEYS = [
    "child",
    "applicant",
    "employer",
    "programme",
    "centre",
    "centre_class",
    "place_agreement",
]

# Past-tense verbs for the refusal message ("cannot be <verb>").
VERBS = {
    State.SUBMITTED: gettext_lazy("submitted again"),
    State.EMPLOYMENT_CONFIRMED: gettext_lazy("confirmed"),
    State.WAITING: gettext_lazy("put on the waiting list"),
    State.OFFERED: gettext_lazy("offered a place"),
    State.ENROLLED: gettext_lazy("accepted"),
    State.DECLINED: gettext_lazy("declined"),
    State.EXPIRED: gettext_lazy("expired"),
    State.WITHDRAWN: gettext_lazy("withdrawn"),
    State.REJECTED: gettext_lazy("rejected"),
    State.ENDED: gettext_lazy("ended"),
}


def by_for(actor) -> By:
    """The table's name for who is acting: no user means the system."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        return By.SYSTEM
    try:
        return By(actor.role)
    except ValueError:
        return By.OTHER


def move_allowed(from_state: str, to_state: str, by: By) -> bool:
    return by in MOVES.get((from_state, to_state), frozenset())


def refuse_move(application: Application, to_state: str, by: By) -> AdmissionsError:
    """A 409 saying why the move cannot be made, naming the `state` field."""
    current = Application.State(application.state).label
    if (application.state, to_state) in MOVES:
        message = _("An application that is “%(state)s” cannot be %(verb)s by you.") % {
            "state": current,
            "verb": VERBS[to_state],
        }
        status = 409 if by == By.SYSTEM else 403
    else:
        message = _("This application is “%(state)s”; it cannot be %(verb)s.") % {
            "state": current,
            "verb": VERBS[to_state],
        }
        status = 409
    return AdmissionsError(
        message,
        code=AdmissionsCode.INVALID_TRANSITION,
        fields={"state": [message]},
        status_code=status,
    )


def reason_checked(to_state: str, reason: str) -> str:
    reason = (reason or "").strip()
    if to_state in REASON_REQUIRED and not reason:
        raise AdmissionsError.for_field("reason", _("Give a reason."))
    if len(reason) > REASON_MAX_LENGTH:
        raise AdmissionsError.for_field(
            "reason",
            _("Keep the reason to %(count)d characters.") % {"count": REASON_MAX_LENGTH},
        )
    return reason


def application_lock(application: Application | int) -> Application:
    """The application re-read under a row lock (its programme and child loaded, not locked)."""
    pk = application if isinstance(application, int) else application.pk
    return (
        Application.objects.select_for_update(of=("self",))
        .select_related("programme", "child", "centre", "applicant__user", "employer")
        .get(pk=pk)
    )


def application_move(
    *,
    application: Application,
    to_state: str,
    actor,
    by: By | None = None,
    reason: str = "",
    changes: dict | None = None,
    **fields,
) -> Application:
    """Move a locked application to `to_state` if the table allows it for `by` (default: the
    actor's role), setting `fields` too; audited. Refuses with nothing changed otherwise.

    The caller's service holds the transaction: every refusal comes before the first write,
    so the move needs no savepoint of its own."""
    by = by or by_for(actor)
    if not move_allowed(application.state, to_state, by):
        raise refuse_move(application, to_state, by)
    reason = reason_checked(to_state, reason)
    from_state = application.state
    moved = move_fields(application, to_state=to_state, reason=reason, **fields)
    full_clean_or_refuse(moved, exclude=FOREIGN_KEYS, validate_constraints=False)
    with transaction.atomic(savepoint=False):
        moved.save()
        audit_records(
            [
                move_audit(
                    moved,
                    from_state=from_state,
                    actor=actor,
                    by=by,
                    reason=reason,
                    changes=changes,
                )
            ]
        )
    return moved


def move_fields(application: Application, *, to_state: str, reason: str = "", **fields):
    """Set the state and what goes with it on `application` (in memory; nothing saved)."""
    application.state = to_state
    application.state_changed_at = timezone.now()
    if to_state in REASON_REQUIRED or reason:
        application.reason = reason
    for name, value in fields.items():
        setattr(application, name, value)
    if to_state not in Application.HOLDING_STATES:
        application.centre_class = application.place_agreement = None
    if to_state != State.OFFERED:
        application.offer_expires_at = None
    return application


def move_audit(
    application: Application, *, from_state: str, actor, by: By, reason="", changes=None
) -> Audit:
    """The audit record of the move `application` just made (who, when, from, to, why)."""
    return Audit(
        actor=actor,
        action=f"application.{application.state}",
        target=application,
        from_state=from_state,
        to_state=application.state,
        reason=reason,
        changes={"by": str(by), **(changes or {})},
    )
