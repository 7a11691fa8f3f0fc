"""Writes for female-worker collective contracts and the statutory floors they must meet."""

import uuid
from datetime import date, timedelta

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.services import audit_record
from apps.employers.models import Employer

from ..errors import WelfareCode, WelfareError, full_clean_or_refuse
from ..models import CollectiveContract, StatutoryFloor
from ..models.contracts import HEBEI_DEFAULT, NATIONAL_MINIMUM, Provision

MAX_SIGNED_FILE_BYTES = 10 * 1024 * 1024
# Recognised by their first bytes, never by the name or Content-Type the client sends.
SIGNED_FILE_SIGNATURES = (
    (b"%PDF-", "pdf", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "png", "image/png"),
    (b"\xff\xd8\xff", "jpg", "image/jpeg"),
)
CONTENT_TYPES = {extension: content_type for _, extension, content_type in SIGNED_FILE_SIGNATURES}
# 集体合同规定 Art. 38: a collective or special collective contract runs for one to three years.
MAX_TERM_YEARS = 3
TEXT_FIELDS = ("flexible_hours", "flexible_hours_terms", "job_retention", "job_retention_terms")


def statutory_floors() -> dict[str, int]:
    """The floors in force: the table's values over Hebei's defaults."""
    floors = {str(provision): minimum for provision, minimum in HEBEI_DEFAULT.items()}
    floors.update(StatutoryFloor.objects.values_list("provision", "minimum"))
    return floors


def provision_errors(values: dict[str, int], floors: dict[str, int]) -> dict[str, list[str]]:
    """Field errors for each provision below its floor; empty when the contract meets them all."""
    errors = {}
    for provision in Provision:
        value, minimum = values.get(provision.value), floors[provision.value]
        if value is not None and value < minimum:
            errors[provision.value] = [
                _("%(provision)s must be at least %(minimum)d (statutory floor); got %(value)d.")
                % {"provision": provision.label, "minimum": minimum, "value": value}
            ]
    return errors


def add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a year without one
        return day.replace(year=day.year + years, day=28)


def contract_date_errors(
    employer: Employer, signed_on: date, starts_on: date, ends_on: date
) -> dict[str, list[str]]:
    """Field errors for a contract's dates; empty when they are consistent and free."""
    if signed_on > timezone.localdate():
        return {"signed_on": [_("The signing date cannot be in the future.")]}
    if starts_on < signed_on:
        return {"starts_on": [_("A contract cannot be in force before it is signed.")]}
    if ends_on <= starts_on:
        return {"ends_on": [_("The end date must be after the start date.")]}
    if ends_on > add_years(starts_on, MAX_TERM_YEARS) - timedelta(days=1):
        return {"ends_on": [_("A special collective contract runs for at most three years.")]}
    overlapping = employer.collective_contracts.filter(
        starts_on__lte=ends_on, ends_on__gte=starts_on
    )
    if overlapping.exists():
        return {"starts_on": [_("The employer already has a contract in force in these dates.")]}
    return {}


def signed_file_type(upload: UploadedFile) -> str:
    """The file's extension (pdf, png, jpg) judged by its content; refuses anything else."""
    if upload.size > MAX_SIGNED_FILE_BYTES:
        raise WelfareError.for_field(
            "signed_file", _("The file is larger than 10 MB; scan it at a lower resolution.")
        )
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    for signature, extension, _content_type in SIGNED_FILE_SIGNATURES:
        if head.startswith(signature):
            return extension
    raise WelfareError.for_field(
        "signed_file", _("Upload the signed contract as a PDF, PNG or JPEG file.")
    )


def _store_signed_file(contract: CollectiveContract, upload: UploadedFile) -> None:
    extension = signed_file_type(upload)
    # A generated name: the client's file name may hold personal data or path tricks.
    contract.signed_file.save(f"{uuid.uuid4().hex}.{extension}", upload, save=False)
    contract.signed_file_type = extension


@transaction.atomic
def collective_contract_create(
    *,
    employer: Employer,
    actor,
    signed_on: date,
    starts_on: date,
    ends_on: date,
    signed_file: UploadedFile | None = None,
    **provisions,
) -> CollectiveContract:
    """Record a signed contract; omitted provisions take the floors, lower ones are refused."""
    # Serialises contracts of one employer so two overlapping ones cannot both pass the check.
    employer = Employer.objects.select_for_update().get(pk=employer.pk)
    floors = statutory_floors()
    values = {p.value: provisions.get(p.value, floors[p.value]) for p in Provision}
    errors = provision_errors(values, floors)
    if errors:
        raise WelfareError(
            _("Some provisions are below the statutory floor."),
            code=WelfareCode.BELOW_STATUTORY_FLOOR,
            fields=errors,
        )
    errors = contract_date_errors(employer, signed_on, starts_on, ends_on)
    if errors:
        raise WelfareError(next(iter(errors.values()))[0], fields=errors)
    contract = CollectiveContract(
        employer=employer,
        signed_on=signed_on,
        starts_on=starts_on,
        ends_on=ends_on,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        **values,
        **{name: value for name, value in provisions.items() if name in TEXT_FIELDS},
    )
    _check_terms(contract)
    full_clean_or_refuse(contract, exclude=["signed_file"])
    if signed_file is not None:
        _store_signed_file(contract, signed_file)
    contract.save()
    audit_record(
        actor=actor,
        action="collective_contract.create",
        target=contract,
        changes={"employer": employer.pk, "ends_on": ends_on.isoformat(), **values},
    )
    return contract


def _check_terms(contract: CollectiveContract) -> None:
    if contract.flexible_hours and not contract.flexible_hours_terms.strip():
        raise WelfareError.for_field(
            "flexible_hours_terms", _("Describe the flexible working hours the contract grants.")
        )
    if contract.job_retention and not contract.job_retention_terms.strip():
        raise WelfareError.for_field("job_retention_terms", _("Describe how the job is kept."))


@transaction.atomic
def collective_contract_attach_file(
    *, contract: CollectiveContract, upload: UploadedFile, actor
) -> CollectiveContract:
    """Attach or replace the signed file; the old file is deleted once the change commits."""
    contract = CollectiveContract.objects.select_for_update().get(pk=contract.pk)
    old_name = contract.signed_file.name
    _store_signed_file(contract, upload)
    contract.save(update_fields=["signed_file", "signed_file_type"])
    if old_name:
        storage = contract.signed_file.storage
        transaction.on_commit(lambda: storage.delete(old_name))
    audit_record(
        actor=actor,
        action="collective_contract.attach_file",
        target=contract,
        changes={"file_type": contract.signed_file_type, "bytes": upload.size},
    )
    return contract


@transaction.atomic
def statutory_floor_update(
    *, floor: StatutoryFloor, minimum: int, source: str, actor
) -> StatutoryFloor:
    """Change a floor when the law changes; never below the national minimum."""
    floor = StatutoryFloor.objects.select_for_update().get(pk=floor.pk)
    national = NATIONAL_MINIMUM[Provision(floor.provision)]
    if minimum < national:
        raise WelfareError.for_field(
            "minimum",
            _("National law sets this at %(national)d or more.") % {"national": national},
        )
    if not source.strip():
        raise WelfareError.for_field("source", _("Cite the regulation that sets this floor."))
    before = floor.minimum
    floor.minimum, floor.source = minimum, source.strip()
    full_clean_or_refuse(floor)
    floor.save()
    audit_record(
        actor=actor,
        action="statutory_floor.update",
        target=floor,
        from_state=str(before),
        to_state=str(minimum),
        reason=source,
    )
    return floor
