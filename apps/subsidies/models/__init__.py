from .accounts import BankAccount
from .payouts import PayoutChunk, PayoutLine, PayoutRun
from .schemes import Budget, SubsidyScheme

__all__ = ["BankAccount", "Budget", "PayoutChunk", "PayoutLine", "PayoutRun", "SubsidyScheme"]
