"""Applying, and the moves before an offer: employment confirmed (by the roster or the employer
admin), waiting, rejected, withdrawn. Each refusal names the field at fault."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import IntegrityError, transaction
from django.db.models import Case, Exists, OuterRef, Q, Subquery, When
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.centres.models import AgeClass, Centre, RegistrationStatus
from apps.core.services import audit_record
from apps.employers.models import Employer, Employment, Programme
from apps.employers.pricing import age_classes_for, age_in_months, format_month, month_start
from apps.employers.selectors.programmes import (
    class_figures_of,
    programme_open_to,
    programme_refusal,
)
from apps.employers.services.roster import roster_match
from apps.members.models import Child, Guardianship, Member

from ..errors import AdmissionsCode, conflict, refuse
from ..models import Application
from ..selectors.applications import place_in_line
from ..selectors.quotes import application_offer
from .moves import (
    By,
    application_move,
    by_for,
    move_allowed,
    move_audit,
    move_fields,
    refuse_move,
)
from .notices import notify
from .offers import (
    give_back_and_fill,
    lock_application,
    notify_offered,
    offer_deadline,
    queue_fill,
)
from .places import NoPlace, group_lock, line_here, place_take
from .records import Audit, audit_records

State = Application.State
Group = Programme.PriorityGroup
MONTHS_AHEAD = 12
NO_PRIORITY = 99
OPEN_BEFORE_ENROLMENT = [state for state in Application.OPEN_STATES if state != State.ENROLLED]
SIX_YEARS_IN_MONTHS = 72


def _facts(
    *,
    member: Member,
    child: Child,
    programme: Programme,
    centre: Centre,
    age_class: str,
    month: date,
) -> dict:
    """Everything applying checks in the database, in one query: guardianship, the programme
    open to the applicant in the month, the centre in the programme, open applications and
    enrolments of the child, the applicant's active employment at an employer of the
    programme (roster-verified first), and the centre's classes of the age class for the
    quote (as `class_figures`)."""
    placed = Programme.centres.through.objects.filter(
        programme_id=programme.pk,
        centre_id=centre.pk,
        centre__status=RegistrationStatus.APPROVED,
    )
    mine = Application.objects.filter(child_id=OuterRef("pk"))
    guardian = Guardianship.objects.filter(child_id=OuterRef("pk"), guardian=member)
    facts = {
        "is_guardian": Exists(guardian),
        "programme_open": programme_open_to(member=member, programme_id=programme.pk, month=month),
        "placed_here": Exists(placed),
        "open_here": Exists(
            mine.filter(programme_id=programme.pk, state__in=OPEN_BEFORE_ENROLMENT)
        ),
        "enrolled": Exists(mine.filter(state=State.ENROLLED)),
    }
    if programme.delivery_model != Programme.DeliveryModel.FEDERATION:
        listed = Programme.employers.through.objects.filter(
            programme_id=programme.pk, employer_id=OuterRef("employer_id")
        )
        employments = (
            Employment.objects.filter(member=member, status=Employment.Status.ACTIVE)
            .filter(Q(employer_id=programme.lead_employer_id) | Exists(listed))
            .order_by(Case(When(verified_by=Employment.VerifiedBy.ROSTER, then=0), default=1), "pk")
        )
        facts["employer_id"] = Subquery(employments.values("employer_id")[:1])
        facts["verified_by"] = Subquery(employments.values("verified_by")[:1])
    figures = {
        f"class_{name}": value for name, value in class_figures_of(centre.pk, age_class).items()
    }
    facts.update(figures)
    row = Child.objects.filter(pk=child.pk).annotate(**facts).values(*facts).get()
    row["class_figures"] = {name[len("class_") :]: row.pop(name) for name in figures}
    return row


def _check_child(child: Child, facts: dict) -> None:
    if not facts["is_guardian"]:
        raise refuse("child", _("Choose one of your own children."))
    if child.anonymised_at is not None:
        raise refuse("child", _("This child's record has been anonymised."))


def _check_start_month(start_month: date) -> date:
    this_month = month_start(timezone.localdate())
    if start_month.day != 1:
        raise refuse("start_month", _("A place starts on the first day of a month."))
    if start_month < this_month:
        raise refuse("start_month", _("The start month cannot be in the past."))
    if (start_month.year - this_month.year) * 12 + start_month.month - this_month.month > 12:
        raise refuse(
            "start_month",
            _("Apply at most %(months)d months ahead.") % {"months": MONTHS_AHEAD},
        )
    return start_month


def _check_place(facts: dict, child: Child, age_class: str, month) -> None:
    if not facts["placed_here"]:
        raise refuse("centre", _("This programme does not place children at this centre."))
    if age_class not in AgeClass.values:
        raise refuse("age_class", _("Choose one of the age classes."))
    months = age_in_months(child.birth_date, month)
    if age_class not in age_classes_for(months):
        raise refuse(
            "age_class",
            _(
                "%(child)s will be %(months)d months old on the first day of %(month)s; "
                "that does not fit the %(age_class)s."
            )
            % {
                "child": child.full_name,
                "months": months,
                "month": format_month(month),
                "age_class": AgeClass(age_class).label,
            },
            code=AdmissionsCode.AGE_MISMATCH,
        )


def _check_child_free(facts: dict) -> None:
    if facts["open_here"]:
        raise conflict(
            _("This child already has an open application for this programme."),
            code=AdmissionsCode.DUPLICATE_APPLICATION,
            field="child",
        )
    if facts["enrolled"]:
        raise conflict(
            _("This child is already enrolled; one enrolment per child at a time."),
            code=AdmissionsCode.ALREADY_ENROLLED,
            field="child",
        )


def _confirming_employment(
    member: Member, programme: Programme, facts: dict
) -> tuple[Employer | None, bool]:
    """(employer that confirms the application, whether the roster already does). Federation
    programmes need no employer: a verified membership is enough."""
    if programme.delivery_model == Programme.DeliveryModel.FEDERATION:
        return None, True
    employer_id = facts["employer_id"]
    if employer_id is None:
        return None, False
    if employer_id == programme.lead_employer_id:
        employer = programme.lead_employer
    else:
        employer = Employer.objects.get(pk=employer_id)
    by_roster = facts["verified_by"] == Employment.VerifiedBy.ROSTER or bool(
        roster_match(employer=employer, member=member)
    )
    return employer, by_roster


def priority_for(
    *, member: Member, child: Child, programme: Programme, month: date, shift_worker: bool
) -> tuple[int, list[str]]:
    """The programme's priority groups that apply (in its order) and the rank of the first."""
    wanted = list(programme.priority_groups or [])
    applies = set()
    if Group.SHIFT_WORKER in wanted and shift_worker:
        applies.add(Group.SHIFT_WORKER)
    if Group.MULTI_CHILD in wanted:
        children = Child.objects.filter(guardianships__guardian=member, anonymised_at__isnull=True)
        young = [c for c in children if age_in_months(c.birth_date, month) < SIX_YEARS_IN_MONTHS]
        if len(young) >= 2:
            applies.add(Group.MULTI_CHILD)
    if Group.BOTH_GUARDIANS in wanted:
        others = Member.objects.filter(guardianships__child=child).exclude(pk=member.pk)
        if any(
            programme_refusal(member=o, programme=programme, month=month) is None for o in others
        ):
            applies.add(Group.BOTH_GUARDIANS)
    groups = [group for group in wanted if group in applies]
    return (wanted.index(groups[0]) if groups else NO_PRIORITY), groups


def _insert(application: Application, audits: list[Audit]) -> Application:
    """Insert the application and record its moves. No savepoint: a refusal here ends the
    service's transaction, which rolls back as a whole."""
    try:
        application.save()
    except IntegrityError:
        # A concurrent submission for the same child got there first.
        raise conflict(
            _("This child already has an open application for this programme."),
            code=AdmissionsCode.DUPLICATE_APPLICATION,
            field="child",
        ) from None
    audit_records(audits)
    return application


@dataclass(frozen=True)
class Checked:
    month: date
    employer: Employer | None
    confirmed_by_roster: bool
    quote: dict
    agreement_ids: tuple[int, ...] = ()


def application_check(
    *,
    member: Member,
    child: Child,
    programme: Programme,
    centre: Centre,
    age_class: str,
    start_month: date,
) -> Checked:
    """Every rule of applying that needs no lock, each refusal naming its field; writes nothing
    (the apply page runs it for its preview)."""
    # The month is checked first (no query): the facts are read for it.
    month = _check_start_month(start_month)
    facts = _facts(
        member=member,
        child=child,
        programme=programme,
        centre=centre,
        age_class=age_class,
        month=month,
    )
    _check_child(child, facts)
    refusal = programme_refusal(
        member=member, programme=programme, month=month, is_open=facts["programme_open"]
    )
    if refusal:
        raise refuse("programme", refusal, code=AdmissionsCode.NOT_ELIGIBLE)
    _check_place(facts, child, age_class, month)
    employer, confirmed_by_roster = _confirming_employment(member, programme, facts)
    if programme.delivery_model != Programme.DeliveryModel.FEDERATION and employer is None:
        raise refuse(
            "programme",
            _("This programme is for workers of the employers it lists."),
            code=AdmissionsCode.NOT_ELIGIBLE,
        )
    _check_child_free(facts)
    offer = application_offer(
        member=member,
        programme=programme,
        centre=centre,
        age_class=age_class,
        month=month,
        child_id=child.pk,
        figures=facts["class_figures"],
    )
    if offer is None:
        raise refuse(
            "age_class",
            _("%(programme)s has no places in the %(age_class)s at %(centre)s.")
            % {
                "programme": programme.name,
                "age_class": AgeClass(age_class).label,
                "centre": centre.name,
            },
        )
    return Checked(month, employer, confirmed_by_roster, offer.quote, offer.agreement_ids)


def application_submit(
    *,
    member: Member,
    child: Child,
    programme: Programme,
    centre: Centre,
    age_class: str,
    start_month: date,
    shift_worker: bool = False,
    actor,
) -> Application:
    """Apply for a place. When the roster (or a verified membership, for federation
    programmes) already confirms the applicant, the application goes straight on to an offer
    if a place is free and the child is first in line, else to the waiting list.

    The rules are read first, outside the transaction, so a refusal leaves the caller's
    transaction untouched; the writes then run in one transaction without a savepoint of
    their own (a concurrent duplicate, the only refusal there, rolls the caller back too)."""
    checked = application_check(
        member=member,
        child=child,
        programme=programme,
        centre=centre,
        age_class=age_class,
        start_month=start_month,
    )
    rank, groups = priority_for(
        member=member,
        child=child,
        programme=programme,
        month=checked.month,
        shift_worker=shift_worker,
    )
    with transaction.atomic(savepoint=False):
        return _submit_checked(
            member=member,
            child=child,
            programme=programme,
            centre=centre,
            age_class=age_class,
            checked=checked,
            rank=rank,
            groups=groups,
            actor=actor,
        )


def _submit_checked(
    *, member, child, programme, centre, age_class, checked: Checked, rank, groups, actor
) -> Application:
    # Lock before inserting: submission time then follows the order in which the line is read.
    group_lock((centre.pk, age_class))
    application = Application(
        child=child,
        applicant=member,
        employer=checked.employer,
        programme=programme,
        centre=centre,
        age_class=age_class,
        start_month=checked.month,
        priority_rank=rank,
        priority_groups=groups,
        quote=checked.quote,
    )
    submitted = Audit(
        actor=actor,
        action="application.submitted",
        target=application,
        to_state=State.SUBMITTED,
        changes={"priority_groups": groups},
    )
    if actor is not None and actor.pk == member.user_id:
        member.user = actor  # the parent's notices go to the user acting: no query for it
    application.place_in_line = None  # set when it joins the waiting list (as the lists do)
    if not checked.confirmed_by_roster:
        _insert(application, [submitted])
        notify(application, "confirmation_needed")
        return application
    return _confirmed_at_once(application, submitted, checked.agreement_ids)


def _confirmed_at_once(
    application: Application, submitted: Audit, agreement_ids: tuple[int, ...]
) -> Application:
    """The roster confirms the applicant: insert the application straight in the state its
    moves end in (submitted → employment confirmed → offered or waiting), each move audited.
    When the line is not simply "free place and nobody ahead", fill it move by move instead."""
    line = line_here(application)
    if line.room and line.ahead_in_group:
        _insert(application, [submitted])
        return _confirmed(application, actor=None, by=By.SYSTEM)
    audits = [submitted, _system_move(application, State.EMPLOYMENT_CONFIRMED)]
    place = None
    if line.room:
        try:
            place = place_take(application=application, agreement_ids=agreement_ids)
        except NoPlace:
            place = None  # the programme's bought places are all taken: it waits
    if place is None:
        audits.append(_system_move(application, State.WAITING))
        _insert(application, audits)
        application.place_in_line = line.ahead_in_line + 1
        notify(application, "waiting", place=application.place_in_line)
        return application
    class_id, agreement_id = place
    application.centre_class = place.centre_class
    audits.append(
        _system_move(
            application,
            State.OFFERED,
            centre_class_id=class_id,
            place_agreement_id=agreement_id,
            offer_expires_at=offer_deadline(application),
            changes={"centre_class": class_id, "place_agreement": agreement_id},
        )
    )
    _insert(application, audits)
    notify_offered(application)
    return application


def _system_move(application: Application, to_state: str, *, changes=None, **fields) -> Audit:
    """Make a move of the table's system rows on the unsaved application; its audit record."""
    from_state = application.state
    if not move_allowed(from_state, to_state, By.SYSTEM):
        raise refuse_move(application, to_state, By.SYSTEM)
    move_fields(application, to_state=to_state, **fields)
    return move_audit(application, from_state=from_state, actor=None, by=By.SYSTEM, changes=changes)


def _confirmed(application: Application, *, actor, by: By) -> Application:
    """Submitted → employment confirmed, then offered if a place is free and the child is
    first in line, else waiting. The caller holds the group lock and the row lock."""
    application_move(
        application=application, to_state=State.EMPLOYMENT_CONFIRMED, actor=actor, by=by
    )
    if by == By.EMPLOYER_ADMIN:
        notify(application, "employment_confirmed")
    queue_fill(centre_id=application.centre_id, age_class=application.age_class)
    application.refresh_from_db()
    if application.state == State.EMPLOYMENT_CONFIRMED:
        application_move(application=application, to_state=State.WAITING, actor=None, by=By.SYSTEM)
        application.place_in_line = place_in_line(application)
        notify(application, "waiting", place=application.place_in_line)
    return application


@transaction.atomic
def application_confirm_employment(*, application: Application, actor) -> Application:
    """The employer admin confirms the applicant works there (the roster did not show it)."""
    locked = lock_application(application)
    return _confirmed(locked, actor=actor, by=by_for(actor))


@transaction.atomic
def application_reject(*, application: Application, actor, reason: str) -> Application:
    """The employer admin (not employed here) or the centre admin rejects, with a reason."""
    locked = lock_application(application)
    moved = application_move(
        application=locked, to_state=State.REJECTED, actor=actor, reason=reason
    )
    notify(moved, "rejected", reason=moved.reason)
    return moved


@transaction.atomic
def application_withdraw(*, application: Application, actor, reason: str = "") -> Application:
    """The parent withdraws; a place held by an offer goes to the first in line at once."""
    locked = lock_application(application)
    from_state = locked.state
    class_id, agreement_id = locked.centre_class_id, locked.place_agreement_id
    moved = application_move(
        application=locked, to_state=State.WITHDRAWN, actor=actor, reason=reason
    )
    notify(moved, "withdrawn_unconfirmed" if from_state == State.SUBMITTED else "withdrawn")
    if class_id is not None:
        give_back_and_fill(
            centre_id=moved.centre_id,
            age_class=moved.age_class,
            class_id=class_id,
            agreement_id=agreement_id,
        )
    return moved


def applications_flag_left() -> list[int]:
    """Flag open applications whose applicant has since left the confirming employer (the
    roster import ends the employment); the employer and centre admins see the flag."""
    left = Employment.objects.filter(
        member_id=OuterRef("applicant_id"),
        employer_id=OuterRef("employer_id"),
        status=Employment.Status.LEFT,
    )
    flagged = []
    candidates = Application.objects.filter(
        Exists(left), state__in=Application.OPEN_STATES, employment_left_flag=False
    )
    for pk in candidates.values_list("id", flat=True):
        with transaction.atomic():
            updated = Application.objects.filter(pk=pk, employment_left_flag=False).update(
                employment_left_flag=True
            )
            if updated:
                application = Application.objects.get(pk=pk)
                audit_record(
                    actor=None,
                    action="application.employment_left",
                    target=application,
                    changes={"employment_left_flag": True},
                )
                flagged.append(pk)
    return flagged
