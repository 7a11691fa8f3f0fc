"""Writes for union care classes: classes and sessions, enrolment under capacity, attendance."""

from datetime import date

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.services import audit_record
from apps.employers.models import Employment
from apps.members.models import Child, Guardianship, Member

from ..errors import WelfareCode, WelfareError, conflict, full_clean_or_refuse
from ..models import CareClass, CareClassAttendance, CareClassEnrolment, CareClassSession

CLASS_FIELDS = (
    "name",
    "kind",
    "place",
    "area",
    "min_age",
    "max_age",
    "capacity",
    "fee",
    "restricted_to_organiser",
    "description",
)
SESSION_FIELDS = ("date", "starts_at", "ends_at", "place")


def age_on(birth_date: date, day: date) -> int:
    """Age in completed years on `day`."""
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


@transaction.atomic
def care_class_create(
    *, actor, organiser_union=None, organiser_employer=None, sessions=(), **fields
) -> CareClass:
    """Create a class (a draft) with its sessions."""
    if (organiser_union is None) == (organiser_employer is None):
        raise WelfareError.for_field(
            "organiser", _("A care class has exactly one organiser: a union or an employer.")
        )
    care_class = CareClass(
        organiser_union=organiser_union,
        organiser_employer=organiser_employer,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        **{name: value for name, value in fields.items() if name in CLASS_FIELDS},
    )
    full_clean_or_refuse(care_class)
    care_class.save()
    for values in sessions:
        session = CareClassSession(care_class=care_class, **values)
        full_clean_or_refuse(session)
        session.save()
    audit_record(
        actor=actor, action="care_class.create", target=care_class, to_state=care_class.status
    )
    return care_class


@transaction.atomic
def care_class_update(*, care_class: CareClass, actor, **fields) -> CareClass:
    """Change a class; capacity never drops below the children already enrolled."""
    care_class = CareClass.objects.select_for_update().get(pk=care_class.pk)
    changed = {}
    for name, value in fields.items():
        if name in CLASS_FIELDS and getattr(care_class, name) != value:
            setattr(care_class, name, value)
            changed[name] = str(value)
    if care_class.capacity < care_class.enrolled:
        raise WelfareError.for_field(
            "capacity",
            _("%(enrolled)d children are enrolled; the capacity cannot be lower.")
            % {"enrolled": care_class.enrolled},
        )
    if changed:
        full_clean_or_refuse(care_class)
        care_class.save()
        audit_record(actor=actor, action="care_class.update", target=care_class, changes=changed)
    return care_class


@transaction.atomic
def care_class_set_status(*, care_class: CareClass, status: str, actor) -> CareClass:
    """Open a class for enrolment (it needs a session) or close it."""
    care_class = CareClass.objects.select_for_update().get(pk=care_class.pk)
    if status == care_class.status:
        return care_class
    if status == CareClass.Status.OPEN and not care_class.sessions.exists():
        raise WelfareError.for_field(
            "sessions", _("Add at least one session before opening the class.")
        )
    before, care_class.status = care_class.status, status
    full_clean_or_refuse(care_class)
    care_class.save(update_fields=["status"])
    audit_record(
        actor=actor,
        action="care_class.set_status",
        target=care_class,
        from_state=before,
        to_state=status,
    )
    return care_class


@transaction.atomic
def care_class_session_save(*, session: CareClassSession, actor) -> CareClassSession:
    is_new = session.pk is None
    full_clean_or_refuse(session)
    session.save()
    audit_record(
        actor=actor,
        action="care_class.session_add" if is_new else "care_class.session_change",
        target=session.care_class,
        changes={name: str(getattr(session, name)) for name in SESSION_FIELDS},
    )
    return session


@transaction.atomic
def care_class_session_delete(*, session: CareClassSession, actor) -> None:
    if session.attendance.exists():
        raise conflict(
            _("Attendance has been recorded for this session; it cannot be deleted."),
            code=WelfareCode.INVALID_STATE,
        )
    care_class, session_id = session.care_class, session.pk
    session.delete()
    audit_record(
        actor=actor,
        action="care_class.session_delete",
        target=care_class,
        changes={"session": session_id},
    )


@transaction.atomic
def care_class_recognise(
    *, care_class: CareClass, recognised_by: str, recognised_on: date | None, actor
) -> CareClass:
    """Mark a class recognised by the Qian'an or Tangshan federation (blank clears it)."""
    care_class = CareClass.objects.select_for_update().get(pk=care_class.pk)
    if recognised_by and recognised_on is None:
        raise WelfareError.for_field("recognised_on", _("Give the date of the recognition."))
    if recognised_on and recognised_on > timezone.localdate():
        raise WelfareError.for_field("recognised_on", _("The date cannot be in the future."))
    before = care_class.recognised_by
    care_class.recognised_by = recognised_by
    care_class.recognised_on = recognised_on if recognised_by else None
    full_clean_or_refuse(care_class)
    care_class.save(update_fields=["recognised_by", "recognised_on"])
    audit_record(
        actor=actor,
        action="care_class.recognise",
        target=care_class,
        from_state=before,
        to_state=recognised_by,
    )
    return care_class


def _check_eligible(care_class: CareClass, child: Child, guardian: Member) -> date:
    """Refuse a child the class cannot take; returns the first session's date."""
    if care_class.status != CareClass.Status.OPEN:
        raise conflict(_("This class is not open for enrolment."), code=WelfareCode.CLASS_NOT_OPEN)
    first = care_class.sessions.order_by("date", "starts_at").first()
    if first is None:
        raise conflict(_("This class has no sessions yet."), code=WelfareCode.CLASS_NOT_OPEN)
    if not Guardianship.objects.filter(child=child, guardian=guardian).exists():
        raise WelfareError.for_field("child", _("You are not this child's guardian."))
    if guardian.membership != Member.Membership.VERIFIED:
        raise WelfareError(
            _("Union care classes are for verified union members; verify your membership first."),
            code=WelfareCode.NOT_ELIGIBLE,
            status_code=403,
        )
    if care_class.restricted_to_organiser and not _belongs_to_organiser(care_class, guardian):
        raise WelfareError(
            _("This class is only for %(organiser)s's members and staff.")
            % {"organiser": care_class.organiser},
            code=WelfareCode.NOT_ELIGIBLE,
            status_code=403,
        )
    age = age_on(child.birth_date, first.date)
    if not care_class.min_age <= age <= care_class.max_age:
        raise WelfareError.for_field(
            "child",
            _(
                "The child is %(age)d on %(date)s, the first session; this class takes "
                "children aged %(min)d to %(max)d."
            )
            % {
                "age": age,
                "date": first.date,
                "min": care_class.min_age,
                "max": care_class.max_age,
            },
            code=WelfareCode.NOT_ELIGIBLE,
        )
    return first.date


def _belongs_to_organiser(care_class: CareClass, guardian: Member) -> bool:
    if care_class.organiser_union_id:
        return guardian.union_id == care_class.organiser_union_id
    return Employment.objects.filter(
        member=guardian,
        employer_id=care_class.organiser_employer_id,
        status=Employment.Status.ACTIVE,
    ).exists()


def _already_enrolled() -> WelfareError:
    return conflict(
        _("This child is already enrolled in this class."),
        code=WelfareCode.ALREADY_ENROLLED,
        field="child",
    )


@transaction.atomic
def care_class_enrol(
    *, care_class: CareClass, child: Child, guardian: Member, actor
) -> CareClassEnrolment:
    """Enrol a child; the place is taken by one conditional UPDATE, so the class never overbooks."""
    _check_eligible(care_class, child, guardian)
    if CareClassEnrolment.objects.filter(
        care_class=care_class, child=child, status=CareClassEnrolment.Status.ENROLLED
    ).exists():
        raise _already_enrolled()
    taken = CareClass.objects.filter(
        pk=care_class.pk, status=CareClass.Status.OPEN, enrolled__lt=F("capacity")
    ).update(enrolled=F("enrolled") + 1)
    if not taken:
        raise conflict(
            _("%(name)s is full.") % {"name": care_class.name}, code=WelfareCode.CLASS_FULL
        )
    try:
        with transaction.atomic():
            enrolment = CareClassEnrolment.objects.create(
                care_class=care_class, child=child, guardian=guardian
            )
    except IntegrityError as error:
        # A parallel request enrolled the same child; raising rolls our place back too.
        raise _already_enrolled() from error
    audit_record(
        actor=actor,
        action="care_class.enrol",
        target=enrolment,
        to_state=enrolment.status,
        changes={"care_class": care_class.pk},
    )
    return enrolment


@transaction.atomic
def care_class_enrolment_cancel(*, enrolment: CareClassEnrolment, actor) -> CareClassEnrolment:
    """Cancel an enrolment and give its place back, once."""
    cancelled = CareClassEnrolment.objects.filter(
        pk=enrolment.pk, status=CareClassEnrolment.Status.ENROLLED
    ).update(status=CareClassEnrolment.Status.CANCELLED, cancelled_at=timezone.now())
    if not cancelled:
        raise conflict(_("This enrolment is already cancelled."), code=WelfareCode.INVALID_STATE)
    CareClass.objects.filter(pk=enrolment.care_class_id, enrolled__gt=0).update(
        enrolled=F("enrolled") - 1
    )
    enrolment.refresh_from_db(fields=["status", "cancelled_at"])
    audit_record(
        actor=actor,
        action="care_class.cancel",
        target=enrolment,
        from_state=CareClassEnrolment.Status.ENROLLED,
        to_state=enrolment.status,
    )
    return enrolment


@transaction.atomic
def care_class_attendance_record(
    *, session: CareClassSession, marks: dict[int, bool], actor
) -> list[CareClassAttendance]:
    """Record who was present at a session that has taken place; marks again overwrite."""
    if session.date > timezone.localdate():
        raise WelfareError.for_field(
            "session", _("Attendance is recorded on or after the session's date.")
        )
    enrolled = set(
        CareClassEnrolment.objects.filter(
            care_class_id=session.care_class_id, status=CareClassEnrolment.Status.ENROLLED
        ).values_list("pk", flat=True)
    )
    unknown = sorted(set(marks) - enrolled)
    if unknown:
        raise WelfareError.for_field(
            "marks",
            _("Not enrolled in this class: %(ids)s.") % {"ids": ", ".join(map(str, unknown))},
        )
    rows = [
        CareClassAttendance(session=session, enrolment_id=pk, present=present, recorded_by=actor)
        for pk, present in sorted(marks.items())
    ]
    CareClassAttendance.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["session", "enrolment"],
        update_fields=["present", "recorded_by", "recorded_at"],
    )
    present = sum(1 for value in marks.values() if value)
    audit_record(
        actor=actor,
        action="care_class.attendance",
        target=session.care_class,
        changes={"session": session.pk, "present": present, "absent": len(marks) - present},
    )
    return list(session.attendance.select_related("enrolment").order_by("enrolment_id"))
