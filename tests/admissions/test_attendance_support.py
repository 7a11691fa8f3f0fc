"""Builders shared by the attendance and privacy tests, and a URLconf that serves their pages
and endpoints even before the project's urls.py includes them (it then adds nothing)."""

from datetime import date
from decimal import Decimal

import pytest
from django.conf import settings
from django.contrib import admin
from django.urls import NoReverseMatch, include, path, reverse

from apps.admissions.api.attendance import urlpatterns as attendance_api
from apps.admissions.api.privacy import urlpatterns as privacy_api
from apps.admissions.models import Application, Attendance, Enrolment
from apps.employers.models import Programme
from qianan_tuoyu import urls as project_urls
from tests.centres.factories import CentreAdminFactory, CentreClassFactory
from tests.employers.factories import EmployerFactory
from tests.members.factories import ChildFactory, MemberFactory

URLCONF = __name__


def _wired(name: str, **kwargs) -> bool:
    try:
        reverse(name, urlconf=project_urls, kwargs=kwargs or None)
    except NoReverseMatch:
        return False
    return True


urlpatterns = list(project_urls.urlpatterns)
if Attendance not in admin.site._registry:
    # Until admissions/admin.py imports the attendance admin, serve it from here.
    import apps.admissions.admin_attendance  # noqa: F401

    urlpatterns.insert(0, path("admin/", admin.site.urls))
if not _wired("centre-attendance"):
    urlpatterns.insert(0, path("", include("apps.admissions.urls_attendance")))
if not _wired("api-attendance-list"):
    urlpatterns.insert(0, path("api/v1/", include(attendance_api)))
if not _wired("api-family-export"):
    urlpatterns.insert(0, path("api/v1/", include(privacy_api)))


def test_support_urlconf_serves_every_attendance_and_privacy_route():
    names = ["centre-attendance", "centre-attendance-template", "centre-attendance-upload"]
    names += ["parent-privacy", "parent-privacy-export", "api-attendance-list"]
    names += ["api-attendance-bulk", "api-family-export", "admin:admissions_attendance_changelist"]

    assert [reverse(name, urlconf=URLCONF).startswith("/") for name in names] == [True] * 9


@pytest.fixture
def english(english, client, api_client):
    """The project's `english` (tests/conftest.py), with the browsers' language switch on
    English too."""
    for browser in (client, api_client):
        browser.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


# Builders


def programme(**extra) -> Programme:
    fields = {
        "name": "鑫达爱心托育",
        "delivery_model": Programme.DeliveryModel.OWN_CENTRE,
        "lead_employer": EmployerFactory(),
        "parent_share_percent": Decimal("50.00"),
        "subsidy_amount": Decimal("200.00"),
        "start_date": date(2024, 1, 1),
        "status": Programme.Status.APPROVED,
    }
    return Programme.objects.create(**(fields | extra))


def enrolment(
    *,
    centre_class=None,
    child=None,
    start: date = date(2025, 9, 1),
    end: date | None = None,
    application_state: str | None = None,
) -> Enrolment:
    """An enrolment with the application it came from (ended if `end` is given)."""
    centre_class = centre_class or CentreClassFactory()
    child = child or ChildFactory()
    the_programme = programme()
    ended = end is not None
    application = Application.objects.create(
        child=child,
        applicant=child.guardianships.first().guardian,
        programme=the_programme,
        centre=centre_class.centre,
        age_class=centre_class.age_class,
        start_month=start.replace(day=1),
        state=application_state or (Application.State.ENDED if ended else "enrolled"),
        centre_class=None if ended else centre_class,
    )
    return Enrolment.objects.create(
        application=application,
        child=child,
        programme=the_programme,
        centre=centre_class.centre,
        centre_class=centre_class,
        status=Enrolment.Status.ENDED if ended else Enrolment.Status.ACTIVE,
        start_date=start,
        end_date=end,
        market_price=Decimal("1800.00"),
        parent_share_percent=Decimal("50.00"),
        parent_fee=Decimal("900.00"),
        employer_part=Decimal("900.00"),
        subsidy_amount=Decimal("200.00"),
        subsidy_basis="per_child",
        subsidy_funder="employer",
    )


def attendance(enrolment_row: Enrolment, month: date, days_open=20, days_attended=18, **extra):
    return Attendance.objects.create(
        enrolment=enrolment_row,
        month=month,
        days_open=days_open,
        days_attended=days_attended,
        **extra,
    )


def centre_admin_for(centre):
    return CentreAdminFactory(centre=centre).user


def family_child(**extra):
    member = MemberFactory()
    return member, ChildFactory(guardian=member, **extra)
