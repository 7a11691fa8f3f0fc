"""Warm-heart services: caring mother rooms, union care classes, female-worker contracts."""

from .care_classes import CareClass, CareClassAttendance, CareClassEnrolment, CareClassSession
from .contracts import CollectiveContract, EmployerWithoutContract, StatutoryFloor
from .rooms import Level, MotherRoom, MotherRoomInspection

__all__ = [
    "CareClass",
    "CareClassAttendance",
    "CareClassEnrolment",
    "CareClassSession",
    "CollectiveContract",
    "EmployerWithoutContract",
    "Level",
    "MotherRoom",
    "MotherRoomInspection",
    "StatutoryFloor",
]
