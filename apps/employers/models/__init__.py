from .programmes import PlaceAgreement, Programme
from .registry import Employer, EmployerAdmin, Employment
from .roster import RosterEntry, RosterImport

__all__ = [
    "Employer",
    "EmployerAdmin",
    "Employment",
    "PlaceAgreement",
    "Programme",
    "RosterEntry",
    "RosterImport",
]
