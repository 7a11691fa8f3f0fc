"""Writes for payees' bank accounts. The owner (a parent, a centre's or an employer's admin)
enters the account; union staff check or reject it; only a current, checked account is paid.

The number is sensitive (PIPL Art. 28): it is stored encrypted with its keyed hash, and audit
records, notices and errors only ever show it masked.
"""

from __future__ import annotations

import re
import unicodedata

from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.centres.models import Centre
from apps.core.pii import mask, pii_hash, set_sensitive
from apps.core.services import audit_record, notice_send
from apps.employers.models import Employer
from apps.members.models import Member

from ..models import BankAccount
from .refusals import SubsidyCode, SubsidyError, clean_or_refuse, conflict, required_reason

Status = BankAccount.Status
ACCOUNT_NUMBER_LENGTHS = (12, 30)
OWNER_FIELDS = ("member", "centre", "employer")
OWNER_MODELS = {"member": Member, "centre": Centre, "employer": Employer}
_SEPARATORS = re.compile(r"[\s\-]+")
_DIGITS = re.compile(r"[0-9]+")


def normalize_account_number(value: str) -> str:
    """Drop spaces and hyphens; NFKC turns full-width digits typed with a Chinese IME into ASCII."""
    return _SEPARATORS.sub("", unicodedata.normalize("NFKC", value or ""))


def validate_account_number(value: str) -> str:
    """The normalised number: digits only, 12 to 30 of them. No check digit is required:
    personal cards carry a Luhn digit but the corporate accounts of centres and employers
    (对公账户) do not, and the bank's own return is the real check. Messages never repeat it."""
    number = normalize_account_number(value)
    low, high = ACCOUNT_NUMBER_LENGTHS
    if not _DIGITS.fullmatch(number):
        message = _("Enter the account number with digits only.")
    elif not low <= len(number) <= high:
        message = _(
            "Enter an account number of %(low)d to %(high)d digits; this one has %(n)d."
        ) % {
            "low": low,
            "high": high,
            "n": len(number),
        }
    else:
        return number
    raise SubsidyError.for_field("account_number", message)


def account_owner(account: BankAccount) -> tuple[str, models.Model]:
    """('member' | 'centre' | 'employer', the owner) of an account."""
    for field in OWNER_FIELDS:
        if getattr(account, f"{field}_id") is not None:
            return field, getattr(account, field)
    raise ValueError("a bank account always has an owner")


def current_account(**owner) -> BankAccount | None:
    """The owner's current account (any status), e.g. `current_account(member=member)`."""
    return BankAccount.objects.filter(is_current=True, **owner).first()


def _one_owner(member, centre, employer) -> tuple[str, models.Model]:
    given = [
        (name, obj) for name, obj in zip(OWNER_FIELDS, (member, centre, employer), strict=True)
    ]
    given = [(name, obj) for name, obj in given if obj is not None]
    if len(given) != 1:
        raise TypeError("pass exactly one of member, centre, employer")
    return given[0]


def _reconfirm_password(actor, password: str | None) -> None:
    # A hijacked session must not redirect someone's subsidy: changing an existing account
    # takes the account password again.
    if actor is None or not getattr(actor, "is_authenticated", False):
        return
    if not password or not actor.check_password(password):
        message = _("Enter your account password to change the bank account.")
        raise SubsidyError(
            message, code=SubsidyCode.PASSWORD_REQUIRED, fields={"password": [message]}
        )


@transaction.atomic
def bank_account_submit(
    *,
    bank_name: str,
    account_name: str,
    account_number: str,
    actor,
    member: Member | None = None,
    centre: Centre | None = None,
    employer: Employer | None = None,
    password: str | None = None,
) -> BankAccount:
    """Enter the owner's account, awaiting union staff's check; it replaces the current one.

    Replacing an account takes the actor's password (`password`). Audited with the number masked.
    """
    field, owner = _one_owner(member, centre, employer)
    number = validate_account_number(account_number)
    # The owner's row serialises two submissions at once, so one current account stays one.
    OWNER_MODELS[field].objects.select_for_update().get(pk=owner.pk)
    previous = BankAccount.objects.select_for_update().filter(is_current=True, **{field: owner})
    previous = previous.first()
    if previous is not None:
        _reconfirm_password(actor, password)
        if previous.account_number_hash == pii_hash(number) and previous.status != Status.REJECTED:
            raise SubsidyError.for_field(
                "account_number", _("This is already your current account.")
            )
        previous.is_current = False
        previous.save(update_fields=["is_current"])
    account = BankAccount(
        bank_name=(bank_name or "").strip(),
        account_name=(account_name or "").strip(),
        status=Status.PENDING,
        is_current=True,
        **{field: owner},
    )
    set_sensitive(account, "account_number", number, normalize=normalize_account_number)
    clean_or_refuse(account)
    account.save()
    audit_record(
        actor=actor,
        action="bank_account.submit",
        target=account,
        to_state=account.status,
        changes={
            "owner": f"{field}:{owner.pk}",
            "bank_name": account.bank_name,
            "account_number": mask(number),
            "replaces": previous.pk if previous else None,
        },
    )
    return account


def _lock_current(account: BankAccount, allowed: tuple[str, ...]) -> BankAccount:
    locked = BankAccount.objects.select_for_update().get(pk=account.pk)
    if not locked.is_current:
        raise conflict(_("This account has been replaced by a newer one; check that one."))
    if locked.status not in allowed:
        raise conflict(_("This account is “%(status)s”.") % {"status": locked.get_status_display()})
    return locked


def _person(actor):
    return actor if actor is not None and getattr(actor, "is_authenticated", False) else None


@transaction.atomic
def bank_account_check(*, account: BankAccount, actor) -> BankAccount:
    """pending → checked by union staff: from now on payouts may be paid into it. Audited."""
    locked = _lock_current(account, (Status.PENDING,))
    locked.status = Status.CHECKED
    locked.checked_by = _person(actor)
    locked.checked_at = timezone.now()
    locked.rejection_reason = ""
    locked.save(update_fields=["status", "checked_by", "checked_at", "rejection_reason"])
    audit_record(
        actor=actor,
        action="bank_account.check",
        target=locked,
        from_state=Status.PENDING,
        to_state=locked.status,
    )
    return locked


REJECTED_TITLE = gettext_lazy("Your bank account was not accepted")


@transaction.atomic
def bank_account_reject(*, account: BankAccount, actor, reason: str) -> BankAccount:
    """pending or checked → rejected, with a reason (e.g. the bank returned a payment); the
    owner is told to enter another account. Audited."""
    reason = required_reason(reason)
    locked = _lock_current(account, (Status.PENDING, Status.CHECKED))
    before = locked.status
    locked.status = Status.REJECTED
    locked.checked_by = _person(actor)
    locked.checked_at = timezone.now()
    locked.rejection_reason = reason
    locked.save(update_fields=["status", "checked_by", "checked_at", "rejection_reason"])
    audit_record(
        actor=actor,
        action="bank_account.reject",
        target=locked,
        from_state=before,
        to_state=locked.status,
        reason=reason,
    )
    for user in _owner_users(locked):
        notice_send(recipient=user, title=REJECTED_TITLE, body=reason)
    return locked


def _owner_users(account: BankAccount) -> list:
    field, owner = account_owner(account)
    if field == "member":
        return [owner.user] if owner.user_id else []
    return [admin.user for admin in owner.admins.select_related("user")]
