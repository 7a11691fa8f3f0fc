"""Reads of the welfare app, scoped to the asking user, with their related rows already joined."""

from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Exists, Max, OuterRef, QuerySet
from django.db.models.functions import Round

from apps.accounts.models import Role
from apps.centres.models import RegistrationStatus
from apps.core.geo import haversine_km
from apps.employers.models import Employer
from apps.members.models import Child, Member

from .models import CareClass, CareClassEnrolment, CollectiveContract, MotherRoom
from .models.rooms import FUNCTION_FIELDS

EXPIRY_WARNING_DAYS = 90


def _has_role(user, role: str) -> bool:
    return bool(user.is_authenticated and user.has_role(role))


def _employer_id(user) -> int | None:
    # A missing link reads as AttributeError, so getattr's default covers unlinked accounts.
    link = getattr(user, "employer_admin", None) if _has_role(user, Role.EMPLOYER_ADMIN) else None
    if link is None or link.employer.status != RegistrationStatus.APPROVED:
        return None
    return link.employer_id


def _member(user) -> Member | None:
    return getattr(user, "member", None) if _has_role(user, Role.PARENT) else None


def _is_staff(user) -> bool:
    return _has_role(user, Role.UNION_STAFF)


# Caring mother rooms


def distance_km(latitude: Decimal, longitude: Decimal):
    """Distance in km from a point, rounded to the metre so the figure shown and the radius
    filter agree."""
    return Round(haversine_km(latitude, longitude), 3)


def mother_room_public_list(
    *,
    area: int | None = None,
    functions: tuple[str, ...] = (),
    latitude: Decimal | None = None,
    longitude: Decimal | None = None,
    radius_km: Decimal | None = None,
) -> QuerySet[MotherRoom]:
    """Approved public-version rooms; nearest first given a point, within a radius if one is set."""
    rooms = MotherRoom.objects.filter(
        status=MotherRoom.Status.APPROVED, version=MotherRoom.Version.PUBLIC
    ).select_related("area", "host_employer", "host_union")
    if area is not None:
        rooms = rooms.filter(area_id=area)
    for function in functions:
        rooms = rooms.filter(**{FUNCTION_FIELDS[function]: True})
    if latitude is None or longitude is None:
        return rooms.order_by("area__sort_order", "name", "id")
    rooms = rooms.annotate(distance_km=distance_km(latitude, longitude))
    if radius_km is not None:
        rooms = rooms.filter(distance_km__lte=float(radius_km))
    return rooms.order_by("distance_km", "id")


def mother_room_list(*, user) -> QuerySet[MotherRoom]:
    """Rooms a user manages: union staff all, an employer admin their employer's."""
    rooms = MotherRoom.objects.select_related("area", "host_employer", "host_union")
    if _is_staff(user):
        return rooms
    employer_id = _employer_id(user)
    if employer_id is not None:
        return rooms.filter(host_employer_id=employer_id)
    return rooms.none()


# Union care classes


def care_class_list(*, user) -> QuerySet[CareClass]:
    """Union staff see every class, an employer admin their own, a parent the open ones."""
    classes = CareClass.objects.select_related(
        "organiser_union", "organiser_employer", "area"
    ).prefetch_related("sessions")
    if _is_staff(user):
        return classes
    employer_id = _employer_id(user)
    if employer_id is not None:
        return classes.filter(organiser_employer_id=employer_id)
    if _has_role(user, Role.PARENT):
        return classes.filter(status=CareClass.Status.OPEN)
    return classes.none()


def care_class_managed_list(*, user) -> QuerySet[CareClass]:
    """Classes whose enrolments and attendance the user keeps: staff all, organisers their own."""
    classes = CareClass.objects.select_related("organiser_union", "organiser_employer", "area")
    if _is_staff(user):
        return classes
    employer_id = _employer_id(user)
    if employer_id is not None:
        return classes.filter(organiser_employer_id=employer_id)
    return classes.none()


def care_class_enrolment_list(*, user, care_class: CareClass) -> QuerySet[CareClassEnrolment]:
    """A class's enrolments: all of them for its keepers, a parent's own children's otherwise."""
    enrolments = CareClassEnrolment.objects.filter(care_class=care_class).select_related(
        "child", "care_class"
    )
    if care_class_managed_list(user=user).filter(pk=care_class.pk).exists():
        return enrolments
    member = _member(user)
    if member is not None:
        return enrolments.filter(child__guardians=member)
    return enrolments.none()


def guardian_child_list(*, user) -> QuerySet[Child]:
    member = _member(user)
    if member is None:
        return Child.objects.none()
    return Child.objects.filter(guardians=member, anonymised_at__isnull=True)


# Female-worker collective contracts


def collective_contract_list(*, user) -> QuerySet[CollectiveContract]:
    contracts = CollectiveContract.objects.select_related("employer")
    if _is_staff(user):
        return contracts
    employer_id = _employer_id(user)
    if employer_id is not None:
        return contracts.filter(employer_id=employer_id)
    return contracts.none()


def collective_contract_expiring_list(
    *, today: date, within_days: int = EXPIRY_WARNING_DAYS
) -> QuerySet[CollectiveContract]:
    """Contracts ending between today and `within_days` from now with no later one signed."""
    later = CollectiveContract.objects.filter(
        employer_id=OuterRef("employer_id"), ends_on__gt=OuterRef("ends_on")
    )
    return (
        CollectiveContract.objects.filter(
            ends_on__gte=today, ends_on__lte=today + timedelta(days=within_days)
        )
        .filter(~Exists(later))
        .select_related("employer")
        .order_by("ends_on", "id")
    )


def employer_without_contract_list(*, today: date, employers=None) -> QuerySet[Employer]:
    """Approved employers with no contract in force today or signed for later."""
    current = CollectiveContract.objects.filter(employer_id=OuterRef("pk"), ends_on__gte=today)
    return (
        (employers if employers is not None else Employer.objects)
        .filter(status=RegistrationStatus.APPROVED)
        .filter(~Exists(current))
        .annotate(last_contract_ended_on=Max("collective_contracts__ends_on"))
        .select_related("area")
        .order_by("name", "id")
    )
