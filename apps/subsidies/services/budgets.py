"""Writes for budgets: a scheme's money for a year. Union staff set and raise the amount; the
payout runs reserve and commit parts of it with conditional updates, and the database refuses
any change that would leave amount < reserved + committed."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from apps.core.services import audit_record

from ..models import Budget, SubsidyScheme
from ..rules import FEN, money
from .refusals import SubsidyCode, SubsidyError, clean_or_refuse, required_reason

MIN_YEAR, MAX_YEAR = 2000, 2100


def _amount(value, field: str = "amount") -> Decimal:
    amount = money(value)
    if amount < 0:
        raise SubsidyError.for_field(field, _("Enter an amount of 0 or more."))
    if amount != amount.quantize(FEN):
        raise SubsidyError.for_field(field, _("Enter the amount in yuan to the fen at most."))
    return amount.quantize(FEN)


@transaction.atomic
def budget_create(*, scheme: SubsidyScheme, year: int, amount: Decimal, actor) -> Budget:
    """Open a scheme's budget for a year; one per scheme and year. Audited."""
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise SubsidyError.for_field("year", _("Enter a year between 2000 and 2100."))
    if Budget.objects.filter(scheme=scheme, year=year).exists():
        raise SubsidyError.for_field(
            "year",
            _("Scheme %(scheme)s already has a budget for %(year)d; raise that one instead.")
            % {"scheme": scheme.name, "year": year},
        )
    budget = Budget(scheme=scheme, year=year, amount=_amount(amount))
    clean_or_refuse(budget)
    budget.save()
    audit_record(
        actor=actor,
        action="budget.create",
        target=budget,
        to_state=str(budget.amount),
        changes={"scheme": scheme.pk, "year": year, "amount": str(budget.amount)},
    )
    return budget


@transaction.atomic
def budget_raise(*, budget: Budget, amount: Decimal, actor, reason: str) -> Budget:
    """Set the budget to `amount` (the new total), with a reason; audited from old to new.

    Normally a raise. A lower total is accepted only down to what calculated and approved runs
    have reserved and committed, so no run loses money it holds.
    """
    reason = required_reason(reason)
    amount = _amount(amount)
    # The row lock waits for a run reserving at this moment.
    locked = Budget.objects.select_for_update().get(pk=budget.pk)
    floor = locked.reserved + locked.committed
    if amount < floor:
        message = _(
            "The budget cannot be set below the %(floor)s yuan that payout runs have reserved "
            "or committed."
        ) % {"floor": f"{floor:,.2f}"}
        raise SubsidyError(
            message, code=SubsidyCode.BELOW_COMMITMENTS, fields={"amount": [message]}
        )
    if amount == locked.amount:
        raise SubsidyError.for_field(
            "amount", _("The budget is already %(amount)s yuan.") % {"amount": f"{amount:,.2f}"}
        )
    old = locked.amount
    locked.amount = amount
    # Only the amount is written (the runs change the other two columns), and it leaves a
    # history row; the lock held since the read keeps the floor true.
    locked.save(update_fields=["amount"])
    audit_record(
        actor=actor,
        action="budget.raise",
        target=locked,
        from_state=str(old),
        to_state=str(amount),
        reason=reason,
        changes={"amount": [str(old), str(amount)]},
    )
    return locked
