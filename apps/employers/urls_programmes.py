"""Programme pages, mounted at the site root before the portals, so the paths are complete."""

from django.urls import path

from .views import programmes as views

app_name = "programmes"

urlpatterns = [
    path("parent/programmes/", views.parent_programmes, name="parent-list"),
    path("employer/programmes/", views.employer_programmes, name="employer-list"),
    path("employer/programmes/new/", views.employer_programme_create, name="employer-create"),
    path(
        "employer/programmes/<int:pk>/",
        views.employer_programme_detail,
        name="employer-detail",
    ),
    path(
        "employer/programmes/<int:pk>/edit/",
        views.employer_programme_edit,
        name="employer-edit",
    ),
    path(
        "employer/programmes/<int:pk>/submit/",
        views.employer_programme_submit,
        name="employer-submit",
    ),
    path(
        "employer/programmes/<int:pk>/place-agreements/",
        views.employer_agreement_create,
        name="employer-agreement-create",
    ),
    path("centre/places/", views.centre_places, name="centre-places"),
    path("dashboard/places/", views.dashboard_places, name="dashboard-places"),
]
