"""Union staff console for the pilot-unit selection; every change goes through the services."""

from . import applications, results, rounds  # noqa: F401 - registers the model admins
