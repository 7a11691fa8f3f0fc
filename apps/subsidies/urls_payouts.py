"""Staff dashboard pages for payout runs, with full paths; the project's urls.py includes this
module at the root."""

from django.urls import path

from .views import payouts as views

urlpatterns = [
    path("dashboard/payouts/", views.run_list, name="payout-run-list"),
    path("dashboard/payouts/<int:pk>/", views.run_detail, name="payout-run-detail"),
    path("dashboard/payouts/<int:pk>/report/", views.run_report, name="payout-run-report"),
    path(
        "dashboard/payouts/<int:pk>/bank/<str:funder>/",
        views.bank_sheet,
        name="payout-run-bank-sheet",
    ),
    path(
        "dashboard/payouts/<int:pk>/bank/<str:funder>.xlsx",
        views.bank_file,
        name="payout-run-bank-file",
    ),
    path(
        "dashboard/payouts/<int:pk>/<str:action>/",
        views.run_action,
        name="payout-run-action",
    ),
]
