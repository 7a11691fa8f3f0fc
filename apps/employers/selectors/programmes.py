"""Programme reads scoped to the asking user: who sees which programme, which programmes are open
to a parent in a month, and each listed centre's free places per age class with its quote.

Eligibility: a member may apply to a programme for a start month when it is approved, runs on
the month's first day (start_date ≤ day ≤ end_date, or no end) and either it is a federation
programme and the member is a verified union member, or the member has an active employment at
its lead employer or at one of its listed (eligible) employers.

Free places for (programme, centre, age class) in a month: the lesser of the free places in the
centre's open classes of that age class and the free places of the programme's place agreements
for that centre and age class valid in the month. An own-centre programme without an agreement
is limited by class capacity only; other models offer only what they have bought.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Exists, F, Min, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.models import Role
from apps.centres.models import AgeClass, Centre, CentreClass, RegistrationStatus
from apps.centres.selectors import centres_near
from apps.members.models import Member

from ..models import Employer, Employment, PlaceAgreement, Programme
from ..pricing import Offer, month_start, next_month, offers_for
from .registry import employer_actable_list

Model = Programme.DeliveryModel


def _has_role(user, *roles: str) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.role in roles)


def default_start_month() -> date:
    """Places start on the first of a month; the current month has begun, so quote the next."""
    return next_month(timezone.localdate())


def running_in(month: date) -> Q:
    day = month_start(month)
    return Q(start_date__lte=day) & (Q(end_date__isnull=True) | Q(end_date__gte=day))


def agreement_valid_in(month: date, prefix: str = "") -> Q:
    day = month_start(month)
    return Q(**{f"{prefix}start_month__lte": day}) & (
        Q(**{f"{prefix}end_month__isnull": True}) | Q(**{f"{prefix}end_month__gte": day})
    )


def _with_organisers(programmes: QuerySet[Programme]) -> QuerySet[Programme]:
    return programmes.select_related("lead_employer", "federation")


def _listing_employers(employer_ids) -> Exists:
    through = Programme.employers.through.objects.filter(
        programme_id=OuterRef("pk"), employer_id__in=employer_ids
    )
    return Exists(through)


# Scopes


def programme_list(*, user) -> QuerySet[Programme]:
    """Union staff: all; an employer admin: programmes their employer leads or is listed on;
    a centre admin: programmes at their centre once submitted; parents use programme_open_list."""
    programmes = _with_organisers(Programme.objects.all())
    if _has_role(user, Role.UNION_STAFF):
        return programmes
    if _has_role(user, Role.EMPLOYER_ADMIN):
        own = Employer.objects.filter(admins__user=user).values("pk")
        return programmes.filter(Q(lead_employer__in=own) | _listing_employers(own))
    if _has_role(user, Role.CENTRE_ADMIN):
        at_centre = Programme.centres.through.objects.filter(
            programme_id=OuterRef("pk"), centre__admins__user=user
        )
        return programmes.filter(Exists(at_centre)).exclude(status=Programme.Status.DRAFT)
    return Programme.objects.none()


def programme_manageable_list(*, user) -> QuerySet[Programme]:
    """Programmes the user may change: all for union staff; for an employer admin, those led by
    their employer while it is approved (a suspended employer's admins cannot act)."""
    programmes = _with_organisers(Programme.objects.all())
    if _has_role(user, Role.UNION_STAFF):
        return programmes
    if _has_role(user, Role.EMPLOYER_ADMIN):
        return programmes.filter(lead_employer__in=employer_actable_list(user=user).values("pk"))
    return Programme.objects.none()


def member_for(user) -> Member | None:
    """The parent's member record, if the user is a parent who has one."""
    if not _has_role(user, Role.PARENT):
        return None
    return Member.objects.filter(user=user).first()


def programme_open_list(*, member: Member | None, month: date) -> QuerySet[Programme]:
    """Approved programmes running in `month` that `member` is eligible for (see module doc)."""
    if member is None:
        return Programme.objects.none()
    employers = Employment.objects.filter(member=member, status=Employment.Status.ACTIVE).values(
        "employer_id"
    )
    eligible = Q(lead_employer__in=employers) | _listing_employers(employers)
    if member.membership == Member.Membership.VERIFIED:
        eligible |= Q(delivery_model=Model.FEDERATION)
    return _with_organisers(
        Programme.objects.filter(running_in(month), eligible, status=Programme.Status.APPROVED)
    )


def programme_visible_list(*, user, month: date | None = None) -> QuerySet[Programme]:
    """What the user may look at: for a parent, the programmes open to them in `month`."""
    if _has_role(user, Role.PARENT):
        return programme_open_list(member=member_for(user), month=month or default_start_month())
    return programme_list(user=user)


def programme_and_centre(
    *, programme_id: int, centre_id: int
) -> tuple[Programme | None, Centre | None]:
    """The programme (with its lead employer) and the centre, each None when missing: in one
    query when the centre is one of the programme's (the usual case), else one each."""
    link = (
        Programme.centres.through.objects.select_related("programme__lead_employer", "centre")
        .filter(programme_id=programme_id, centre_id=centre_id)
        .first()
    )
    if link is not None:
        return link.programme, link.centre
    programme = Programme.objects.select_related("lead_employer").filter(pk=programme_id).first()
    return programme, Centre.objects.filter(pk=centre_id).first()


def programme_open_to(*, member: Member, programme_id: int, month: date) -> Exists:
    """An expression: the programme is open to `member` in `month`, for a caller's own query."""
    return Exists(programme_open_list(member=member, month=month).filter(pk=programme_id))


def programme_refusal(
    *, member: Member, programme: Programme, month: date, is_open: bool | None = None
) -> str | None:
    """Why `member` may not apply to `programme` for `month` (translated), or None if they may.

    `is_open`: `programme_open_to` as read by the caller's own query, which saves this one.
    """
    day = month_start(month)
    if programme.status != Programme.Status.APPROVED:
        return _("This programme is not open: it is “%(status)s”.") % {
            "status": programme.get_status_display()
        }
    if programme.start_date > day:
        return _("This programme starts on %(date)s.") % {"date": programme.start_date.isoformat()}
    if programme.end_date is not None and programme.end_date < day:
        return _("This programme ended on %(date)s.") % {"date": programme.end_date.isoformat()}
    if programme.delivery_model == Model.FEDERATION:
        if member.membership != Member.Membership.VERIFIED:
            return _("Only verified union members may apply to this programme.")
        return None
    if is_open is None:
        is_open = programme_open_list(member=member, month=day).filter(pk=programme.pk).exists()
    if not is_open:
        return _("This programme is for workers of the employers it lists.")
    return None


def place_agreement_list(*, user, programme: Programme) -> QuerySet[PlaceAgreement]:
    """The programme's agreements: all for its managers; a centre admin sees their centre's."""
    agreements = PlaceAgreement.objects.filter(programme=programme).select_related(
        "centre", "buyer_employer", "buyer_union", "programme"
    )
    if _has_role(user, Role.CENTRE_ADMIN):
        return agreements.filter(centre__admins__user=user)
    if programme_manageable_list(user=user).filter(pk=programme.pk).exists():
        return agreements
    return PlaceAgreement.objects.none()


# Listing for parents: centres and offers


@dataclass(frozen=True)
class ListingFilters:
    month: date
    latitude: float | None = None
    longitude: float | None = None
    radius_km: float = 3
    area_id: int | None = None
    age_classes: tuple[str, ...] | None = None  # the child's, when one is chosen
    delivery_model: str | None = None

    @property
    def located(self) -> bool:
        return self.latitude is not None and self.longitude is not None


def listable_centres(filters: ListingFilters) -> QuerySet[Centre]:
    """Approved centres matching the filters; with a point, within the radius, nearest first."""
    centres = Centre.objects.filter(status=RegistrationStatus.APPROVED).select_related("area")
    if filters.area_id is not None:
        centres = centres.filter(area_id=filters.area_id)
    if filters.age_classes is not None:
        fitting = CentreClass.objects.filter(
            centre=OuterRef("pk"), is_active=True, age_class__in=filters.age_classes
        )
        centres = centres.filter(Exists(fitting))
    if filters.located:
        return centres_near(
            queryset=centres,
            latitude=filters.latitude,
            longitude=filters.longitude,
            radius_km=filters.radius_km,
        )
    return centres.order_by("name", "id")


def programme_listing(*, programmes: QuerySet[Programme], filters: ListingFilters):
    """Programmes with at least one listed centre, each carrying `listed_centres`; with a point,
    the programme with the nearest centre first (then by name)."""
    centres = listable_centres(filters)
    in_programme = centres.filter(programmes=OuterRef("pk"))
    programmes = programmes.filter(Exists(in_programme))
    if filters.delivery_model:
        programmes = programmes.filter(delivery_model=filters.delivery_model)
    if filters.located:
        nearest = Subquery(in_programme.values("distance_km")[:1])
        programmes = programmes.annotate(nearest_km=nearest).order_by("nearest_km", "name", "id")
    else:
        programmes = programmes.order_by("name", "id")
    return programmes.prefetch_related(
        Prefetch("centres", queryset=centres, to_attr="listed_centres")
    )


def class_figures(centre_ids, age_classes=None) -> dict[tuple[int, str], dict]:
    """(centre id, age class) -> capacity, taken, lowest price (with a free place, and overall)
    and the number of distinct prices, over the open classes; one query."""
    rows = CentreClass.objects.filter(centre_id__in=list(centre_ids), is_active=True)
    if age_classes is not None:
        rows = rows.filter(age_class__in=age_classes)
    rows = (
        rows.values("centre_id", "age_class")
        .annotate(
            total_capacity=Sum("capacity"),
            total_taken=Sum("places_taken"),
            lowest=Min("monthly_price"),
            lowest_free=Min("monthly_price", filter=Q(places_taken__lt=F("capacity"))),
            prices=Count("monthly_price", distinct=True),
        )
        .order_by()
    )
    return {(row["centre_id"], row["age_class"]): row for row in rows}


def agreements_by_place(programme_ids, month: date) -> dict[tuple, list[PlaceAgreement]]:
    """(programme id, centre id, age class) -> agreements valid in `month`, oldest first."""
    found: dict[tuple, list[PlaceAgreement]] = {}
    agreements = PlaceAgreement.objects.filter(
        agreement_valid_in(month), programme_id__in=list(programme_ids)
    ).order_by("id")
    for agreement in agreements:
        key = (agreement.programme_id, agreement.centre_id, agreement.age_class)
        found.setdefault(key, []).append(agreement)
    return found


def attach_offers(
    programmes: list[Programme],
    *,
    month: date,
    age_classes=None,
    other_children_subsidised: int = 0,
) -> list[Programme]:
    """Give each programme's `listed_centres` their `offers` for `month`, in two queries."""
    centre_ids = {centre.pk for p in programmes for centre in p.listed_centres}
    figures = class_figures(centre_ids, age_classes) if centre_ids else {}
    agreements = agreements_by_place([p.pk for p in programmes], month) if programmes else {}
    for programme in programmes:
        for centre in programme.listed_centres:
            centre.offers = offers_for(
                programme,
                centre.pk,
                figures=figures,
                agreements=agreements,
                other_children_subsidised=other_children_subsidised,
            )
    return programmes


def class_figures_of(centre_id: int, age_class: str) -> dict[str, Subquery]:
    """`class_figures` of one centre and age class as expressions, for a caller's own query
    (then passed back to `programme_offer` as `figures`)."""
    rows = (
        CentreClass.objects.filter(centre_id=centre_id, age_class=age_class, is_active=True)
        .order_by()
        .values("centre_id")
    )

    def one(aggregate) -> Subquery:
        return Subquery(rows.annotate(figure=aggregate).values("figure"))

    return {
        "total_capacity": one(Sum("capacity")),
        "total_taken": one(Sum("places_taken")),
        "lowest": one(Min("monthly_price")),
        "lowest_free": one(Min("monthly_price", filter=Q(places_taken__lt=F("capacity")))),
        "prices": one(Count("monthly_price", distinct=True)),
    }


def programme_offer(
    *,
    programme: Programme,
    centre: Centre,
    age_class: str,
    month: date,
    figures: dict | None = None,
) -> Offer | None:
    """The offer for one centre and age class, or None when the programme offers none there.

    `figures`: the values of `class_figures_of` as the caller read them (saves a query).
    """
    if figures is None:
        figures = class_figures([centre.pk], [age_class])
    elif figures["total_capacity"] is None:
        figures = {}  # no open class of the age class
    else:
        figures = {(centre.pk, age_class): figures}
    agreements = agreements_by_place([programme.pk], month)
    offers = offers_for(programme, centre.pk, figures=figures, agreements=agreements)
    return offers[0] if offers else None


# Places across the city (union staff) or at one centre (its admin)


@dataclass
class PlaceFigures:
    capacity: int = 0
    taken: int = 0
    bought: int = 0
    bought_used: int = 0

    @property
    def free(self) -> int:
        return self.capacity - self.taken

    @property
    def bought_free(self) -> int:
        return self.bought - self.bought_used

    def add(self, other: PlaceFigures) -> None:
        self.capacity += other.capacity
        self.taken += other.taken
        self.bought += other.bought
        self.bought_used += other.bought_used


@dataclass
class AgeClassPlaces:
    age_class: str
    figures: PlaceFigures

    @property
    def age_class_label(self) -> str:
        return str(AgeClass(self.age_class).label)


@dataclass
class CentrePlaces:
    centre: Centre
    figures: PlaceFigures
    age_classes: list[AgeClassPlaces]
    classes: list[CentreClass]


@dataclass
class ProgrammeGroup:
    key: str
    label: str
    programmes: int
    places_bought: int
    places_used: int


@dataclass
class PlacesSummary:
    month: date
    totals: PlaceFigures
    centres: list[CentrePlaces]
    by_model: list[ProgrammeGroup]
    by_funder: list[ProgrammeGroup]


def _summary_centres(user) -> QuerySet[Centre]:
    from apps.centres.selectors import centre_manageable_list

    centres = centre_manageable_list(user=user).order_by("name", "id")
    if _has_role(user, Role.UNION_STAFF):
        centres = centres.filter(status=RegistrationStatus.APPROVED)
    return centres


def _groups(programmes, agreements, field: str, choices) -> list[ProgrammeGroup]:
    counts = dict(programmes.values_list(field).annotate(n=Count("id")).order_by())
    places = {
        row[0]: row[1:]
        for row in agreements.values_list(f"programme__{field}")
        .annotate(bought=Sum("places"), used=Sum("places_taken"))
        .order_by()
    }
    return [
        ProgrammeGroup(
            key=key,
            label=str(label),
            programmes=counts.get(key, 0),
            places_bought=places.get(key, (0, 0))[0],
            places_used=places.get(key, (0, 0))[1],
        )
        for key, label in choices
    ]


def places_summary(*, user, month: date) -> PlacesSummary:
    """Places per centre and age class (capacity, taken, bought, used) and the running approved
    programmes by model and by funder, for the centres the user manages; seven queries."""
    centres = list(_summary_centres(user))
    ids = [centre.pk for centre in centres]
    classes = CentreClass.objects.filter(centre_id__in=ids, is_active=True).order_by(
        "age_class", "name", "id"
    )
    agreements = PlaceAgreement.objects.filter(agreement_valid_in(month), centre_id__in=ids)
    bought = {
        (row["centre_id"], row["age_class"]): row
        for row in agreements.values("centre_id", "age_class")
        .annotate(places_sum=Sum("places"), used_sum=Sum("places_taken"))
        .order_by()
    }
    rows: dict[int, dict[str, PlaceFigures]] = {pk: {} for pk in ids}
    by_centre: dict[int, list[CentreClass]] = {pk: [] for pk in ids}
    for centre_class in classes:
        by_centre[centre_class.centre_id].append(centre_class)
        figures = rows[centre_class.centre_id].setdefault(centre_class.age_class, PlaceFigures())
        figures.capacity += centre_class.capacity
        figures.taken += centre_class.places_taken
    for (centre_id, age_class), row in bought.items():
        figures = rows[centre_id].setdefault(age_class, PlaceFigures())
        figures.bought += row["places_sum"]
        figures.bought_used += row["used_sum"]
    totals, result = PlaceFigures(), []
    for centre in centres:
        centre_total = PlaceFigures()
        ages = [
            AgeClassPlaces(age, rows[centre.pk][age]) for age in AgeClass if age in rows[centre.pk]
        ]
        for age in ages:
            centre_total.add(age.figures)
        totals.add(centre_total)
        result.append(CentrePlaces(centre, centre_total, ages, by_centre[centre.pk]))
    programmes = Programme.objects.filter(running_in(month), status=Programme.Status.APPROVED)
    if not _has_role(user, Role.UNION_STAFF):
        at_centre = Programme.centres.through.objects.filter(
            programme_id=OuterRef("pk"), centre_id__in=ids
        )
        programmes = programmes.filter(Exists(at_centre))
    agreements = agreements.filter(programme__in=programmes)
    return PlacesSummary(
        month=month_start(month),
        totals=totals,
        centres=result,
        by_model=_groups(programmes, agreements, "delivery_model", Model.choices),
        by_funder=_groups(programmes, agreements, "subsidy_funder", Programme.Funder.choices),
    )
