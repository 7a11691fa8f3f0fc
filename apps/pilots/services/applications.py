"""Applications by employers, their evidence files, and disqualification by union staff."""

from datetime import date

from django.core.files.base import File
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from apps.centres.models import RegistrationStatus
from apps.core.services import audit_record
from apps.employers.models import Employer

from ..errors import PilotCode, PilotError, conflict, full_clean_or_refuse
from ..files import check_evidence_file
from ..indicators import runs_caring_childcare
from ..models import Application, EvaluationRound, Evidence, RubricItem
from .common import REASON_MAX_LENGTH, delete_results, lock_round, require_status, today_or

Status = EvaluationRound.Status
MAX_FILES_PER_ITEM = 10


def _required_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise PilotError.for_field("reason", _("Give a reason."))
    if len(reason) > REASON_MAX_LENGTH:
        raise PilotError.for_field(
            "reason",
            _("Keep the reason to %(count)d characters.") % {"count": REASON_MAX_LENGTH},
        )
    return reason


@transaction.atomic
def application_submit(
    *,
    round: EvaluationRound,
    employer: Employer,
    actor,
    statement: str = "",
    today: date | None = None,
) -> Application:
    """An approved employer that runs caring childcare applies while the round is open."""
    round = lock_round(round)
    require_status(round, Status.OPEN)
    today = today_or(today)
    if not round.applications_open_on <= today <= round.applications_close_on:
        raise conflict(
            _("Applications are accepted from %(start)s to %(end)s.")
            % {"start": round.applications_open_on, "end": round.applications_close_on},
            code=PilotCode.INVALID_STATE,
        )
    if employer.status != RegistrationStatus.APPROVED or not runs_caring_childcare(employer):
        raise PilotError.for_field(
            "employer",
            _("Only approved employers that run caring childcare may apply."),
            code=PilotCode.NOT_ELIGIBLE,
        )
    if round.applications.filter(employer=employer).exclude(status="withdrawn").exists():
        raise conflict(
            _("This employer has already applied in this round."),
            code=PilotCode.INVALID_STATE,
            field="employer",
        )
    application = Application(
        round=round,
        employer=employer,
        statement=(statement or "").strip(),
        submitted_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    full_clean_or_refuse(application)
    try:
        with transaction.atomic():
            application.save()
    except IntegrityError:
        raise conflict(
            _("This employer has already applied in this round."),
            code=PilotCode.INVALID_STATE,
            field="employer",
        ) from None
    audit_record(
        actor=actor, action="pilot_application.submit", target=application, to_state="submitted"
    )
    return application


def _locked_application(application: Application) -> tuple[EvaluationRound, Application]:
    round = lock_round(application.round)
    return round, Application.objects.select_for_update().get(pk=application.pk)


@transaction.atomic
def application_withdraw(*, application: Application, actor, reason: str = "") -> Application:
    round, application = _locked_application(application)
    require_status(round, Status.OPEN)
    if application.status != Application.Status.SUBMITTED:
        raise conflict(_("Only a submitted application can be withdrawn."), code="invalid_state")
    application.status = Application.Status.WITHDRAWN
    application.status_reason = (reason or "").strip()[:REASON_MAX_LENGTH]
    application.save(update_fields=["status", "status_reason"])
    audit_record(
        actor=actor,
        action="pilot_application.withdraw",
        target=application,
        from_state="submitted",
        to_state="withdrawn",
        reason=application.status_reason,
    )
    return application


@transaction.atomic
def application_disqualify(*, application: Application, actor, reason: str) -> Application:
    """Take a unit out of the selection (e.g. after an upheld objection). Results already
    computed are discarded and the round goes back to scoring, to be evaluated again and
    publicised afresh."""
    reason = _required_reason(reason)
    round, application = _locked_application(application)
    require_status(round, Status.OPEN, Status.SCORING, Status.EVALUATED, Status.PUBLICITY)
    if application.status != Application.Status.SUBMITTED:
        raise conflict(_("Only a submitted application can be disqualified."), code="invalid_state")
    application.status = Application.Status.DISQUALIFIED
    application.status_reason = reason
    application.save(update_fields=["status", "status_reason"])
    audit_record(
        actor=actor,
        action="pilot_application.disqualify",
        target=application,
        from_state="submitted",
        to_state="disqualified",
        reason=reason,
    )
    if round.status in (Status.EVALUATED, Status.PUBLICITY):
        delete_results(round)
        before = round.status
        round.status = Status.SCORING
        round.evaluated_at = round.publicity_start = round.publicity_end = None
        round.save()
        audit_record(
            actor=actor,
            action="pilot_round.reopen_after_disqualification",
            target=round,
            from_state=before,
            to_state=round.status,
            reason=reason,
        )
    return application


@transaction.atomic
def evidence_add(
    *, application: Application, item: RubricItem, upload, actor, description: str = ""
) -> Evidence:
    """Attach a JPEG, PNG or PDF (≤ 10 MB, checked by content) to one item while the round is
    open; it is stored under a generated name in private storage."""
    round, application = _locked_application(application)
    require_status(round, Status.OPEN)
    if application.status != Application.Status.SUBMITTED:
        raise conflict(_("This application is no longer active."), code="invalid_state")
    if item.round_id != round.pk:
        raise PilotError.for_field("item", _("Choose an item of this round's rubric."))
    if Evidence.objects.filter(application=application, item=item).count() >= MAX_FILES_PER_ITEM:
        raise PilotError.for_field(
            "file",
            _("At most %(count)d files per item.") % {"count": MAX_FILES_PER_ITEM},
            code=PilotCode.FILE_REFUSED,
        )
    checked = check_evidence_file(upload)
    evidence = Evidence(
        application=application,
        item=item,
        original_name=(getattr(upload, "name", "") or "evidence")[-200:],
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
        description=(description or "").strip()[:200],
        uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    full_clean_or_refuse(evidence, exclude=["file"])
    # Stored first, then the row; if the row cannot be written the file goes with it. A file
    # left by a later rollback is unreachable (no row names it) and holds nothing new.
    evidence.file.save("upload", File(upload), save=False)
    try:
        with transaction.atomic():
            evidence.save()
    except IntegrityError:
        evidence.file.delete(save=False)
        raise
    audit_record(
        actor=actor,
        action="pilot_evidence.add",
        target=evidence,
        changes={"item": item.pk, "type": checked.content_type, "size": checked.size},
    )
    return evidence


@transaction.atomic
def evidence_remove(*, evidence: Evidence, actor) -> None:
    round, _application = _locked_application(evidence.application)
    require_status(round, Status.OPEN)
    name, storage = evidence.file.name, evidence.file.storage
    audit_record(
        actor=actor,
        action="pilot_evidence.remove",
        target=evidence,
        changes={"item": evidence.item_id, "type": evidence.content_type},
    )
    evidence.delete()
    transaction.on_commit(lambda: storage.delete(name))
