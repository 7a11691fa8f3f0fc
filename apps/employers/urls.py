"""Employer portal, mounted at /employer/."""

from django.urls import path

from .views import portal, roster, signup

app_name = "employer_portal"

urlpatterns = [
    path("", portal.employer_home, name="home"),
    path("signup/", signup.employer_signup, name="signup"),
    path("roster/", roster.roster_list, name="roster"),
    path("roster/template.xlsx", roster.roster_template, name="roster-template"),
    path("roster/import/", roster.roster_import_new, name="roster-import-new"),
    path("roster/imports/<int:pk>/", roster.roster_import_detail, name="roster-import"),
    path(
        "roster/imports/<int:pk>/errors.xlsx",
        roster.roster_import_errors,
        name="roster-import-errors",
    ),
    path("employees/pending/", portal.pending_list, name="pending"),
    path(
        "employees/<int:pk>/confirm/",
        portal.employment_decide,
        {"decision": "confirm"},
        name="employment-confirm",
    ),
    path(
        "employees/<int:pk>/refuse/",
        portal.employment_decide,
        {"decision": "refuse"},
        name="employment-refuse",
    ),
]
