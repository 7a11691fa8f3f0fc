"""Subsidies pages, with their full paths (mounted at the site root)."""

from django.urls import path

from apps.accounts.models import Role

from .views import accounts

app_name = "subsidies"

urlpatterns = [
    path(
        "parent/bank-account/",
        accounts.bank_account,
        {"role": Role.PARENT},
        name="parent-bank-account",
    ),
    path(
        "centre/bank-account/",
        accounts.bank_account,
        {"role": Role.CENTRE_ADMIN},
        name="centre-bank-account",
    ),
    path(
        "employer/bank-account/",
        accounts.bank_account,
        {"role": Role.EMPLOYER_ADMIN},
        name="employer-bank-account",
    ),
    path("employer/costs/", accounts.employer_costs, name="employer-costs"),
]
