"""Centre reads, scoped to the asking user, with their related rows already loaded.

Distances: GCJ-02 shifts WGS-84 points by a few hundred metres, but smoothly, so two GCJ-02
points a few kilometres apart keep their true separation to within metres; haversine on a sphere
of the mean earth radius errs by under 0.5 %, so it is accurate enough within a city.
"""

from django.db.models import (
    BooleanField,
    Count,
    ExpressionWrapper,
    F,
    FloatField,
    Prefetch,
    Q,
    QuerySet,
)

from apps.accounts.models import Role
from apps.core.geo import haversine_km

from .models import Caregiver, Centre, CentreAdmin, CentreClass, RegistrationStatus
from .ratios import caregivers_needed_expression

# A centre whose computed distance is within 1 mm of the radius counts as inside it: the same
# point can come out a few ULPs apart in PostgreSQL and in Python, and a boundary must not flap.
DISTANCE_TOLERANCE_KM = 1e-6

# Roles that see the public directory: approved centres and their open classes.
DIRECTORY_ROLES = (Role.PARENT, Role.EMPLOYER_ADMIN, Role.REVIEWER)


def _role(user) -> str | None:
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    return user.role


def with_ratio(queryset: QuerySet[CentreClass]) -> QuerySet[CentreClass]:
    """Annotate classes with `caregivers_active`, `caregivers_needed` and `within_ratio`."""
    return queryset.annotate(
        caregivers_active=Count("caregivers", filter=Q(caregivers__is_active=True)),
        caregivers_needed=caregivers_needed_expression(),
    ).annotate(
        within_ratio=ExpressionWrapper(
            Q(caregivers_active__gte=F("caregivers_needed")), output_field=BooleanField()
        )
    )


def centre_list(*, user, with_classes: bool = True) -> QuerySet[Centre]:
    """Union staff: every centre; a centre admin: their own; parents, employer admins and
    reviewers: approved centres (the public directory); anyone else: none.

    Classes come prefetched (unless `with_classes` is false) with their ratio figures; the
    directory shows open classes only.
    """
    role = _role(user)
    centres = Centre.objects.select_related("area", "federation")
    classes = with_ratio(CentreClass.objects.all())
    if role == Role.UNION_STAFF:
        pass
    elif role == Role.CENTRE_ADMIN:
        centres = centres.filter(admins__user=user)
    elif role in DIRECTORY_ROLES:
        centres = centres.filter(status=RegistrationStatus.APPROVED)
        classes = classes.filter(is_active=True)
    else:
        return centres.none()
    if not with_classes:
        return centres
    return centres.prefetch_related(Prefetch("classes", queryset=classes))


def centre_manageable_list(*, user) -> QuerySet[Centre]:
    """Centres the user may change: all for union staff, their own for a centre admin."""
    role = _role(user)
    centres = Centre.objects.select_related("area", "federation")
    if role == Role.UNION_STAFF:
        return centres
    if role == Role.CENTRE_ADMIN:
        return centres.filter(admins__user=user)
    return centres.none()


def centre_class_list(*, user, centre: Centre | None = None) -> QuerySet[CentreClass]:
    """Classes of the centres the user sees (open ones only in the directory), with ratios."""
    role = _role(user)
    classes = with_ratio(CentreClass.objects.select_related("centre"))
    if role == Role.UNION_STAFF:
        pass
    elif role == Role.CENTRE_ADMIN:
        classes = classes.filter(centre__admins__user=user)
    elif role in DIRECTORY_ROLES:
        classes = classes.filter(centre__status=RegistrationStatus.APPROVED, is_active=True)
    else:
        return classes.none()
    if centre is not None:
        classes = classes.filter(centre=centre)
    return classes.order_by("centre__name", "centre_id", "age_class", "name", "id")


def centre_class_manageable_list(*, user) -> QuerySet[CentreClass]:
    return with_ratio(
        CentreClass.objects.select_related("centre").filter(
            centre__in=centre_manageable_list(user=user)
        )
    )


def classes_out_of_ratio(*, centres: QuerySet[Centre] | None = None) -> QuerySet[CentreClass]:
    """Open classes with fewer active caregivers than their capacity needs, in one query.

    Rows carry `caregivers_active` and `caregivers_needed`; `centres` narrows to those centres.
    """
    classes = CentreClass.objects.select_related("centre").filter(is_active=True)
    if centres is not None:
        classes = classes.filter(centre__in=centres)
    return (
        with_ratio(classes)
        .filter(caregivers_active__lt=F("caregivers_needed"))
        .order_by("centre__name", "centre_id", "age_class", "name", "id")
    )


def caregiver_list(*, user, centre: Centre | None = None) -> QuerySet[Caregiver]:
    caregivers = Caregiver.objects.select_related("centre").filter(
        centre__in=centre_manageable_list(user=user)
    )
    if centre is not None:
        caregivers = caregivers.filter(centre=centre)
    return caregivers


def centre_admin_centre(*, user) -> Centre | None:
    """The centre a centre-admin account manages, if any."""
    link = CentreAdmin.objects.select_related("centre").filter(user_id=user.pk).first()
    return link.centre if link else None


def centres_near(
    *, queryset: QuerySet[Centre], latitude: float, longitude: float, radius_km: float = 3
) -> QuerySet[Centre]:
    """Centres within `radius_km` of a GCJ-02 point, nearest first (ties by id), each with
    `distance_km` computed in SQL."""
    return (
        queryset.annotate(
            distance_km=ExpressionWrapper(
                haversine_km(latitude, longitude), output_field=FloatField()
            )
        )
        .filter(distance_km__lte=float(radius_km) + DISTANCE_TOLERANCE_KM)
        .order_by("distance_km", "id")
    )
