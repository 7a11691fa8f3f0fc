from . import accounts, payouts, schemes  # noqa: F401 - registers the admin classes
