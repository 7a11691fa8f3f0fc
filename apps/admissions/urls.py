"""Admissions pages, mounted at the site root before the portals' placeholder pages."""

from django.urls import path, re_path

from .views import centre, employer, parent

app_name = "admissions"

urlpatterns = [
    path("parent/apply/", parent.apply_page, name="parent-apply"),
    path("parent/applications/", parent.application_list_page, name="parent-applications"),
    path(
        "parent/applications/<int:pk>/",
        parent.application_detail_page,
        name="parent-application-detail",
    ),
    path(
        "parent/applications/<int:pk>/end/",
        parent.enrolment_end_page,
        name="parent-enrolment-end",
    ),
    re_path(
        r"^parent/applications/(?P<pk>[0-9]+)/(?P<action>accept|decline|withdraw)/$",
        parent.application_answer,
        name="parent-application-answer",
    ),
    path(
        "employer/confirmations/",
        employer.confirmation_list_page,
        name="employer-confirmations",
    ),
    re_path(
        r"^employer/confirmations/(?P<pk>[0-9]+)/(?P<action>confirm|reject)/$",
        employer.confirmation_act,
        name="employer-confirmation-act",
    ),
    path("centre/applications/", centre.application_list_page, name="centre-applications"),
    re_path(
        r"^centre/applications/(?P<pk>[0-9]+)/(?P<action>offer|reject)/$",
        centre.application_act,
        name="centre-application-act",
    ),
    path("centre/waiting-list/", centre.waiting_list_page, name="centre-waiting-list"),
    path("centre/enrolments/", centre.enrolment_list_page, name="centre-enrolments"),
    path(
        "centre/enrolments/<int:pk>/end/",
        centre.enrolment_end_page,
        name="centre-enrolment-end",
    ),
]
