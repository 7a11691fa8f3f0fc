"""Union staff console for warm-heart services; every change goes through a service."""

from . import care_classes, contracts, rooms

__all__ = ["care_classes", "contracts", "rooms"]
