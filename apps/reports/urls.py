from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("dashboard/rows/<slug:figure>/", views.rows, name="rows"),
    path("dashboard/export/rows/<slug:figure>.xlsx", views.rows_export, name="rows-export"),
    path("dashboard/export/<slug:report>.xlsx", views.dashboard_export, name="export"),
    path("employer/figures/", views.employer_figures, name="employer"),
    path(
        "employer/figures/export/<slug:report>.xlsx",
        views.employer_export,
        name="employer-export",
    ),
    path("centre/figures/", views.centre_figures, name="centre"),
    path("centre/figures/export/<slug:report>.xlsx", views.centre_export, name="centre-export"),
]
