"""Applying, and the moves before an offer: employment confirmed (by the roster or the employer
admin), waiting, rejected, withdrawn. Each refusal names the field at fault."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.centres.models import AgeClass, Centre, RegistrationStatus
from apps.core.services import audit_record
from apps.employers.models import Employer, Employment, Programme
from apps.employers.pricing import age_classes_for, age_in_months, format_month, month_start
from apps.employers.selectors.programmes import programme_refusal
from apps.employers.services.roster import roster_match
from apps.members.models import Child, Guardianship, Member

from ..errors import AdmissionsCode, conflict, refuse
from ..models import Application
from ..selectors.applications import place_in_line
from ..selectors.quotes import application_quote
from .moves import By, application_move, by_for
from .notices import notify
from .offers import give_back_and_fill, lock_application, queue_fill
from .places import group_lock

State = Application.State
Group = Programme.PriorityGroup
MONTHS_AHEAD = 12
NO_PRIORITY = 99
SIX_YEARS_IN_MONTHS = 72


def _check_child(member: Member, child: Child) -> None:
    if not Guardianship.objects.filter(child=child, guardian=member).exists():
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


def _check_place(programme: Programme, centre: Centre, child: Child, age_class: str, month):
    if (
        centre.status != RegistrationStatus.APPROVED
        or not programme.centres.filter(pk=centre.pk).exists()
    ):
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


def _check_child_free(child: Child, programme: Programme) -> None:
    open_here = Application.objects.filter(
        child=child, programme=programme, state__in=Application.OPEN_STATES
    )
    if open_here.exclude(state=State.ENROLLED).exists():
        raise conflict(
            _("This child already has an open application for this programme."),
            code=AdmissionsCode.DUPLICATE_APPLICATION,
            field="child",
        )
    if Application.objects.filter(child=child, state=State.ENROLLED).exists():
        raise conflict(
            _("This child is already enrolled; one enrolment per child at a time."),
            code=AdmissionsCode.ALREADY_ENROLLED,
            field="child",
        )


def confirming_employment(member: Member, programme: Programme) -> tuple[Employer | None, bool]:
    """(employer that confirms the application, whether the roster already does). Federation
    programmes need no employer: a verified membership is enough."""
    if programme.delivery_model == Programme.DeliveryModel.FEDERATION:
        return None, True
    eligible = {programme.lead_employer_id, *programme.employers.values_list("pk", flat=True)}
    employments = Employment.objects.filter(
        member=member, status=Employment.Status.ACTIVE, employer_id__in=eligible
    ).select_related("employer")
    employments = sorted(employments, key=lambda e: (e.verified_by != "roster", e.pk))
    if not employments:
        return None, False
    employment = employments[0]
    by_roster = employment.verified_by == Employment.VerifiedBy.ROSTER or bool(
        roster_match(employer=employment.employer, member=member)
    )
    return employment.employer, by_roster


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


def _insert(application: Application) -> Application:
    try:
        with transaction.atomic():
            application.save()
    except IntegrityError:
        # A concurrent submission for the same child got there first.
        raise conflict(
            _("This child already has an open application for this programme."),
            code=AdmissionsCode.DUPLICATE_APPLICATION,
            field="child",
        ) from None
    return application


@dataclass(frozen=True)
class Checked:
    month: date
    employer: Employer | None
    confirmed_by_roster: bool
    quote: dict


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
    _check_child(member, child)
    month = _check_start_month(start_month)
    refusal = programme_refusal(member=member, programme=programme, month=month)
    if refusal:
        raise refuse("programme", refusal, code=AdmissionsCode.NOT_ELIGIBLE)
    _check_place(programme, centre, child, age_class, month)
    employer, confirmed_by_roster = confirming_employment(member, programme)
    if programme.delivery_model != Programme.DeliveryModel.FEDERATION and employer is None:
        raise refuse(
            "programme",
            _("This programme is for workers of the employers it lists."),
            code=AdmissionsCode.NOT_ELIGIBLE,
        )
    _check_child_free(child, programme)
    quote = application_quote(
        member=member,
        programme=programme,
        centre=centre,
        age_class=age_class,
        month=month,
        child_id=child.pk,
    )
    if quote is None:
        raise refuse(
            "age_class",
            _("%(programme)s has no places in the %(age_class)s at %(centre)s.")
            % {
                "programme": programme.name,
                "age_class": AgeClass(age_class).label,
                "centre": centre.name,
            },
        )
    return Checked(month, employer, confirmed_by_roster, quote)


@transaction.atomic
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
    if a place is free and the child is first in line, else to the waiting list."""
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
    # Lock before inserting: submission time then follows the order in which the line is read.
    group_lock((centre.pk, age_class))
    _check_child_free(child, programme)
    application = _insert(
        Application(
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
    )
    audit_record(
        actor=actor,
        action="application.submitted",
        target=application,
        to_state=State.SUBMITTED,
        changes={"priority_groups": groups},
    )
    if checked.confirmed_by_roster:
        return _confirmed(application, actor=None, by=By.SYSTEM)
    notify(application, "confirmation_needed")
    return application


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
        notify(application, "waiting", place=place_in_line(application))
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
