"""API for programmes, place agreements, quotes and places: parents find programmes open to them
with free places and the real price; employers register programmes and buy places; union staff
approve them and see places across the city."""

from __future__ import annotations

import math
from datetime import date
from decimal import Decimal

from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import PolymorphicProxySerializer, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.accounts.models import Role
from apps.accounts.permissions import IsUnionStaff
from apps.centres.models import AgeClass, Centre, RegistrationStatus
from apps.core.geo import wgs84_to_gcj02
from apps.members.models import Union
from apps.members.selectors import child_list

from ..models import Employer, PlaceAgreement, Programme
from ..pricing import age_classes_for, age_in_months, format_month, month_start, parse_month
from ..selectors import programmes as selectors
from ..selectors.registry import employer_actable_list
from ..services import programmes as services
from .registry import ReasonInput, RequiredReasonInput

MAX_RADIUS_KM = 50  # the city is about 40 km across


def _role_in(user, roles) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.role in roles)


def method_roles(read: tuple[str, ...], write: tuple[str, ...] = ()) -> type[BasePermission]:
    """A permission class allowing `read` roles to GET and `write` roles to change."""

    def has_permission(self, request, view) -> bool:
        roles = read if request.method in SAFE_METHODS else write
        return _role_in(request.user, roles)

    return type("MethodRoles", (BasePermission,), {"has_permission": has_permission})


VIEWERS = (Role.PARENT, Role.EMPLOYER_ADMIN, Role.CENTRE_ADMIN, Role.UNION_STAFF)
ORGANISERS = (Role.EMPLOYER_ADMIN, Role.UNION_STAFF)
ProgrammeAccess = method_roles(read=VIEWERS, write=ORGANISERS)
AgreementAccess = method_roles(read=(*ORGANISERS, Role.CENTRE_ADMIN), write=ORGANISERS)
OrganiserAccess = method_roles(read=(), write=ORGANISERS)
PlacesAccess = method_roles(read=(Role.UNION_STAFF, Role.CENTRE_ADMIN))
QuoteAccess = method_roles(read=VIEWERS)


@extend_schema_field({"type": "string", "pattern": r"^\d{4}-\d{2}$", "example": "2026-03"})
class MonthField(serializers.Field):
    """A month written YYYY-MM, held as its first day."""

    default_error_messages = {"invalid": gettext_lazy("Enter a month as YYYY-MM.")}

    def to_internal_value(self, data) -> date:
        try:
            return parse_month(str(data))
        except ValueError:
            self.fail("invalid")

    def to_representation(self, value) -> str:
        return format_month(value)


def Money(**kwargs):  # a field class in all but name
    return serializers.DecimalField(max_digits=12, decimal_places=2, **kwargs)


# Output


class QuoteOutput(serializers.Serializer):
    market_price = Money()
    parent_share_percent = serializers.DecimalField(max_digits=5, decimal_places=2)
    parent_fee = Money(help_text="What the parent pays the centre each month.")
    employer_part = Money(help_text="Market price minus the parent's fee.")
    subsidy = Money(help_text="Paid to the parent by the monthly payout; not taken off the fee.")
    subsidy_basis = serializers.CharField()
    subsidy_funder = serializers.CharField()
    net_monthly_cost = Money(help_text="Fee minus subsidy; negative when the subsidy is larger.")
    subsidy_exceeds_fee = serializers.BooleanField()
    payment_mode = serializers.CharField(allow_null=True)


class OfferOutput(serializers.Serializer):
    age_class = serializers.CharField()
    age_class_label = serializers.CharField()
    free_places = serializers.IntegerField()
    market_price = Money()
    several_prices = serializers.BooleanField(
        help_text="The centre's classes of this age differ in price; the lowest with a free "
        "place is quoted."
    )
    quote = QuoteOutput()


class ListedCentreOutput(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    address = serializers.CharField()
    area = serializers.IntegerField(source="area_id")
    area_name = serializers.CharField(source="area.name")
    latitude = serializers.DecimalField(max_digits=9, decimal_places=6)
    longitude = serializers.DecimalField(max_digits=9, decimal_places=6)
    contact_phone = serializers.CharField()
    distance_km = serializers.SerializerMethodField()
    offers = OfferOutput(many=True)

    @extend_schema_field(serializers.FloatField(allow_null=True))
    def get_distance_km(self, centre) -> float | None:
        distance = getattr(centre, "distance_km", None)
        return None if distance is None else round(distance, 3)


class _ProgrammeBase(serializers.ModelSerializer):
    delivery_model_label = serializers.CharField(source="get_delivery_model_display")
    subsidy_basis_label = serializers.CharField(source="get_subsidy_basis_display")
    subsidy_funder_label = serializers.CharField(source="get_subsidy_funder_display")
    organiser_name = serializers.SerializerMethodField()

    class Meta:
        model = Programme
        fields = ["id", "name", "delivery_model", "delivery_model_label", "organiser_name"]
        fields += ["description", "parent_share_percent", "subsidy_amount", "subsidy_basis"]
        fields += ["subsidy_basis_label", "subsidy_funder", "subsidy_funder_label", "offer_days"]
        fields += ["start_date", "end_date"]

    def get_organiser_name(self, programme) -> str:
        organiser = programme.lead_employer or programme.federation
        return organiser.name if organiser else ""


class ProgrammeParentOutput(_ProgrammeBase):
    """A programme open to the parent: its centres near them with free places and the price."""

    centres = ListedCentreOutput(source="listed_centres", many=True)

    class Meta(_ProgrammeBase.Meta):
        fields = [*_ProgrammeBase.Meta.fields, "centres"]


class _NamedOutput(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class ProgrammeManageOutput(_ProgrammeBase):
    """A programme as its organiser, its centres and union staff see it."""

    status_label = serializers.CharField(source="get_status_display")
    lead_employer_name = serializers.CharField(
        source="lead_employer.name", default=None, allow_null=True
    )
    federation_name = serializers.CharField(source="federation.name", default=None, allow_null=True)
    employers = _NamedOutput(many=True)
    centres = _NamedOutput(many=True)

    class Meta(_ProgrammeBase.Meta):
        fields = [*_ProgrammeBase.Meta.fields, "status", "status_label", "lead_employer"]
        fields += ["lead_employer_name", "federation", "federation_name", "employers", "centres"]
        fields += ["priority_groups", "approved_at", "created_at"]


def _programme_schema(many: bool = False) -> PolymorphicProxySerializer:
    return PolymorphicProxySerializer(
        component_name="ProgrammeByRole",
        serializers=[ProgrammeParentOutput, ProgrammeManageOutput],
        resource_type_field_name=None,
        many=many,
    )


class PlaceAgreementOutput(serializers.ModelSerializer):
    centre_name = serializers.CharField(source="centre.name")
    age_class_label = serializers.CharField(source="get_age_class_display")
    payment_mode_label = serializers.CharField(source="get_payment_mode_display")
    buyer_name = serializers.SerializerMethodField()
    places_free = serializers.IntegerField()
    start_month = MonthField()
    end_month = MonthField(allow_null=True)
    bought_places_monthly_cost = serializers.SerializerMethodField(
        help_text="Per bought place: every bought place at the agreed price, used or not."
    )

    class Meta:
        model = PlaceAgreement
        fields = ["id", "programme", "centre", "centre_name", "age_class", "age_class_label"]
        fields += ["places", "places_taken", "places_free", "start_month", "end_month"]
        fields += ["payment_mode", "payment_mode_label", "agreed_monthly_price"]
        fields += ["bought_places_monthly_cost", "buyer_employer", "buyer_union", "buyer_name"]

    def get_buyer_name(self, agreement) -> str:
        buyer = agreement.buyer_employer or agreement.buyer_union
        return buyer.name if buyer else ""

    @extend_schema_field(serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True))
    def get_bought_places_monthly_cost(self, agreement):
        if agreement.payment_mode != PlaceAgreement.PaymentMode.PER_BOUGHT_PLACE:
            return None
        return f"{agreement.agreed_monthly_price * agreement.places:.2f}"


class QuoteDetailOutput(QuoteOutput):
    programme = serializers.IntegerField()
    centre = serializers.IntegerField()
    centre_name = serializers.CharField()
    age_class = serializers.CharField()
    age_class_label = serializers.CharField()
    start_month = MonthField()
    free_places = serializers.IntegerField()
    several_prices = serializers.BooleanField()
    per_place_price = Money(
        allow_null=True, help_text="Organisers only: the agreed monthly price of a bought place."
    )


class PlaceFiguresOutput(serializers.Serializer):
    capacity = serializers.IntegerField()
    taken = serializers.IntegerField()
    free = serializers.IntegerField()
    bought = serializers.IntegerField()
    bought_used = serializers.IntegerField()
    bought_free = serializers.IntegerField()


class AgeClassPlacesOutput(serializers.Serializer):
    age_class = serializers.CharField()
    age_class_label = serializers.CharField()
    figures = PlaceFiguresOutput()


class ClassPlacesOutput(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    age_class = serializers.CharField()
    capacity = serializers.IntegerField()
    places_taken = serializers.IntegerField()
    places_free = serializers.IntegerField()
    monthly_price = Money()


class CentrePlacesOutput(serializers.Serializer):
    id = serializers.IntegerField(source="centre.id")
    name = serializers.CharField(source="centre.name")
    figures = PlaceFiguresOutput()
    age_classes = AgeClassPlacesOutput(many=True)
    classes = ClassPlacesOutput(many=True)


class ProgrammeGroupOutput(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    programmes = serializers.IntegerField()
    places_bought = serializers.IntegerField()
    places_used = serializers.IntegerField()


class PlacesOutput(serializers.Serializer):
    month = MonthField()
    totals = PlaceFiguresOutput()
    centres = CentrePlacesOutput(many=True)
    by_model = ProgrammeGroupOutput(many=True)
    by_funder = ProgrammeGroupOutput(many=True)


# Input


class ListingQuery(serializers.Serializer):
    start_month = MonthField(required=False, help_text="Default: next month.")
    child = serializers.IntegerField(required=False, min_value=1)
    lat = serializers.FloatField(required=False, min_value=-90, max_value=90)
    lng = serializers.FloatField(required=False, min_value=-180, max_value=180)
    radius_km = serializers.FloatField(required=False, help_text="Default 3 km.")
    datum = serializers.ChoiceField(
        choices=[("gcj02", "GCJ-02"), ("wgs84", "WGS-84")],
        default="gcj02",
        help_text="The datum of lat and lng: GCJ-02 (maps in China) or WGS-84 (a phone's GPS).",
    )
    area = serializers.IntegerField(required=False, min_value=1)
    delivery_model = serializers.ChoiceField(
        choices=Programme.DeliveryModel.choices, required=False
    )

    def validate_radius_km(self, value: float) -> float:
        if not math.isfinite(value) or not 0 < value <= MAX_RADIUS_KM:
            raise serializers.ValidationError(
                _("Enter a radius above 0 and at most %(max)d km.") % {"max": MAX_RADIUS_KM}
            )
        return value

    def validate(self, attrs):
        located = {"lat", "lng"} & set(attrs)
        if len(located) == 1 or ("radius_km" in attrs and not located):
            missing = "lng" if "lat" in attrs else "lat"
            raise serializers.ValidationError(
                {missing: [_("Give both lat and lng to search by distance.")]}
            )
        return attrs


class QuoteQuery(serializers.Serializer):
    centre = serializers.IntegerField(min_value=1)
    age_class = serializers.ChoiceField(choices=AgeClass.choices, required=False)
    start_month = MonthField(required=False, help_text="Default: next month.")
    child = serializers.IntegerField(required=False, min_value=1)

    def validate(self, attrs):
        if "age_class" not in attrs and "child" not in attrs:
            raise serializers.ValidationError({"age_class": [_("Choose an age class or a child.")]})
        return attrs


class PlacesQuery(serializers.Serializer):
    month = MonthField(required=False, help_text="Default: this month.")


class ProgrammeInput(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    delivery_model = serializers.ChoiceField(choices=Programme.DeliveryModel.choices)
    lead_employer = serializers.PrimaryKeyRelatedField(
        queryset=Employer.objects.all(), required=False, allow_null=True
    )
    federation = serializers.PrimaryKeyRelatedField(
        queryset=Union.objects.all(), required=False, allow_null=True
    )
    employers = serializers.PrimaryKeyRelatedField(
        queryset=Employer.objects.all(), many=True, required=False
    )
    centres = serializers.PrimaryKeyRelatedField(
        queryset=Centre.objects.all(), many=True, required=False
    )
    parent_share_percent = serializers.DecimalField(
        max_digits=5, decimal_places=2, min_value=0, max_value=100
    )
    subsidy_amount = Money(min_value=0, required=False)
    subsidy_basis = serializers.ChoiceField(choices=Programme.SubsidyBasis.choices, required=False)
    subsidy_funder = serializers.ChoiceField(choices=Programme.Funder.choices, required=False)
    priority_groups = serializers.ListField(
        child=serializers.ChoiceField(choices=Programme.PriorityGroup.choices),
        required=False,
        max_length=len(Programme.PriorityGroup.choices),
    )
    offer_days = serializers.IntegerField(
        min_value=1, max_value=services.MAX_OFFER_DAYS, required=False, help_text="Default 7."
    )
    start_date = serializers.DateField()
    end_date = serializers.DateField(required=False, allow_null=True)
    description = serializers.CharField(required=False, allow_blank=True, max_length=2000)

    def validate(self, attrs):
        user = self.context["request"].user
        if user.role != Role.EMPLOYER_ADMIN:
            return attrs
        if attrs.get("delivery_model") == Programme.DeliveryModel.FEDERATION:
            raise serializers.ValidationError(
                {"delivery_model": [_("Only union staff register a federation programme.")]}
            )
        own = self.context["employer"]
        if attrs.get("lead_employer", own) != own:
            raise serializers.ValidationError(
                {"lead_employer": [_("You register programmes for your own employer only.")]}
            )
        attrs.pop("lead_employer", None)
        return attrs


class PlaceAgreementInput(serializers.Serializer):
    centre = serializers.PrimaryKeyRelatedField(queryset=Centre.objects.all())
    age_class = serializers.ChoiceField(choices=AgeClass.choices)
    places = serializers.IntegerField(min_value=1, max_value=32767)
    start_month = MonthField()
    end_month = MonthField(required=False, allow_null=True)
    payment_mode = serializers.ChoiceField(choices=PlaceAgreement.PaymentMode.choices)
    agreed_monthly_price = Money(min_value=0, required=False, allow_null=True)


# Helpers


def _invalid(field: str, message: str) -> serializers.ValidationError:
    return serializers.ValidationError({field: [message]})


def _query(serializer_class, request) -> dict:
    query = serializer_class(data=request.query_params.dict())
    query.is_valid(raise_exception=True)
    return query.validated_data


def _child_age_classes(user, child_id: int, month: date) -> tuple[str, ...]:
    child = child_list(user=user).prefetch_related(None).filter(pk=child_id).first()
    if child is None:
        raise _invalid("child", _("Choose one of your children."))
    months = age_in_months(child.birth_date, month)
    classes = age_classes_for(months)
    if not classes:
        raise _invalid(
            "child",
            _(
                "%(name)s is %(months)d months old in %(month)s: programmes take children aged "
                "6 months to 6 years."
            )
            % {"name": child.full_name, "months": months, "month": format_month(month)},
        )
    return tuple(classes)


def parent_filters(user, params: dict) -> selectors.ListingFilters:
    month = params.get("start_month") or selectors.default_start_month()
    child = params.get("child")
    latitude, longitude = params.get("lat"), params.get("lng")
    if latitude is not None and params.get("datum") == "wgs84":
        latitude, longitude = map(float, wgs84_to_gcj02(Decimal(latitude), Decimal(longitude)))
    return selectors.ListingFilters(
        month=month,
        latitude=latitude,
        longitude=longitude,
        radius_km=params.get("radius_km", 3),
        area_id=params.get("area"),
        age_classes=_child_age_classes(user, child, month) if child else None,
        delivery_model=params.get("delivery_model"),
    )


def _parent_programmes(user, filters: selectors.ListingFilters):
    member = selectors.member_for(user)
    open_list = selectors.programme_open_list(member=member, month=filters.month)
    return selectors.programme_listing(programmes=open_list, filters=filters)


def _actor_employer(user) -> Employer | None:
    if user.role != Role.EMPLOYER_ADMIN:
        return None
    employer = employer_actable_list(user=user).first()
    if employer is None:
        raise _invalid("lead_employer", _("Your employer must be approved to run programmes."))
    return employer


# Programmes


class ProgrammeListApi(GenericAPIView):
    """Parents: programmes open to them in the start month, with centres (nearest first when a
    point is given), free places and quotes. Others: the programmes in their scope."""

    permission_classes = [ProgrammeAccess]
    queryset = Programme.objects.none()  # for the schema; each method scopes its own

    @extend_schema(parameters=[ListingQuery], responses=_programme_schema(many=True))
    def get(self, request):
        params = _query(ListingQuery, request)
        if request.user.role == Role.PARENT:
            filters = parent_filters(request.user, params)
            page = self.paginate_queryset(_parent_programmes(request.user, filters))
            selectors.attach_offers(page, month=filters.month, age_classes=filters.age_classes)
            return self.get_paginated_response(ProgrammeParentOutput(page, many=True).data)
        programmes = selectors.programme_list(user=request.user).prefetch_related(
            "employers", "centres"
        )
        if params.get("delivery_model"):
            programmes = programmes.filter(delivery_model=params["delivery_model"])
        page = self.paginate_queryset(programmes)
        return self.get_paginated_response(ProgrammeManageOutput(page, many=True).data)

    @extend_schema(request=ProgrammeInput, responses={201: ProgrammeManageOutput})
    def post(self, request):
        employer = _actor_employer(request.user)
        serializer = ProgrammeInput(
            data=request.data, context={"request": request, "employer": employer}
        )
        serializer.is_valid(raise_exception=True)
        fields = dict(serializer.validated_data)
        if employer is not None:
            fields["lead_employer"] = employer
        programme = services.programme_create(actor=request.user, **fields)
        return Response(ProgrammeManageOutput(programme).data, status=status.HTTP_201_CREATED)


class ProgrammeDetailApi(APIView):
    permission_classes = [ProgrammeAccess]

    @extend_schema(parameters=[ListingQuery], responses=_programme_schema())
    def get(self, request, pk: int):
        params = _query(ListingQuery, request)
        if request.user.role == Role.PARENT:
            filters = parent_filters(request.user, params)
            programme = get_object_or_404(_parent_programmes(request.user, filters), pk=pk)
            selectors.attach_offers(
                [programme], month=filters.month, age_classes=filters.age_classes
            )
            return Response(ProgrammeParentOutput(programme).data)
        programmes = selectors.programme_list(user=request.user)
        programme = get_object_or_404(programmes.prefetch_related("employers", "centres"), pk=pk)
        return Response(ProgrammeManageOutput(programme).data)

    @extend_schema(request=ProgrammeInput, responses=ProgrammeManageOutput)
    def patch(self, request, pk: int):
        """Change a draft (or refused) programme."""
        programme = get_object_or_404(selectors.programme_manageable_list(user=request.user), pk=pk)
        employer = programme.lead_employer if request.user.role == Role.EMPLOYER_ADMIN else None
        serializer = ProgrammeInput(
            data=request.data,
            partial=True,
            context={"request": request, "employer": employer},
        )
        serializer.is_valid(raise_exception=True)
        services.programme_update(
            programme=programme, actor=request.user, **serializer.validated_data
        )
        programme = selectors.programme_list(user=request.user).prefetch_related(
            "employers", "centres"
        )
        return Response(ProgrammeManageOutput(programme.get(pk=pk)).data)


class _ProgrammeActionApi(APIView):
    permission_classes = [OrganiserAccess]
    input_serializer = ReasonInput
    service = staticmethod(services.programme_end)

    def scope(self, user):
        return selectors.programme_manageable_list(user=user)

    def act(self, request, pk: int) -> Response:
        programme = get_object_or_404(self.scope(request.user), pk=pk)
        serializer = self.input_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        self.service(programme=programme, actor=request.user, **serializer.validated_data)
        programme = self.scope(request.user).prefetch_related("employers", "centres").get(pk=pk)
        return Response(ProgrammeManageOutput(programme).data)


class ProgrammeSubmitApi(_ProgrammeActionApi):
    """draft or refused → submitted (the organiser)."""

    permission_classes = [OrganiserAccess]
    input_serializer = serializers.Serializer
    service = staticmethod(services.programme_submit)

    @extend_schema(request=None, responses=ProgrammeManageOutput)
    def post(self, request, pk: int):
        return self.act(request, pk)


class ProgrammeApproveApi(_ProgrammeActionApi):
    """submitted → approved (union staff)."""

    permission_classes = [IsUnionStaff]
    service = staticmethod(services.programme_approve)

    @extend_schema(request=ReasonInput, responses=ProgrammeManageOutput)
    def post(self, request, pk: int):
        return self.act(request, pk)


class ProgrammeRefuseApi(_ProgrammeActionApi):
    """submitted → refused, with a reason (union staff)."""

    permission_classes = [IsUnionStaff]
    input_serializer = RequiredReasonInput
    service = staticmethod(services.programme_refuse)

    @extend_schema(request=RequiredReasonInput, responses=ProgrammeManageOutput)
    def post(self, request, pk: int):
        return self.act(request, pk)


class ProgrammeSuspendApi(_ProgrammeActionApi):
    """approved → suspended, with a reason (union staff)."""

    permission_classes = [IsUnionStaff]
    input_serializer = RequiredReasonInput
    service = staticmethod(services.programme_suspend)

    @extend_schema(request=RequiredReasonInput, responses=ProgrammeManageOutput)
    def post(self, request, pk: int):
        return self.act(request, pk)


class ProgrammeEndApi(_ProgrammeActionApi):
    """approved or suspended → ended (the organiser or union staff)."""

    permission_classes = [OrganiserAccess]
    service = staticmethod(services.programme_end)

    @extend_schema(request=ReasonInput, responses=ProgrammeManageOutput)
    def post(self, request, pk: int):
        return self.act(request, pk)


# Place agreements


class PlaceAgreementListApi(GenericAPIView):
    """The places a programme's organiser bought; a centre admin sees those at their centre."""

    permission_classes = [AgreementAccess]
    serializer_class = PlaceAgreementOutput
    queryset = PlaceAgreement.objects.none()  # for the schema

    def get(self, request, pk: int):
        # A listed (not leading) employer sees the programme but not what was paid for it.
        scope = (
            selectors.programme_manageable_list(user=request.user)
            if request.user.role == Role.EMPLOYER_ADMIN
            else selectors.programme_list(user=request.user)
        )
        programme = get_object_or_404(scope, pk=pk)
        agreements = selectors.place_agreement_list(user=request.user, programme=programme)
        page = self.paginate_queryset(agreements)
        return self.get_paginated_response(PlaceAgreementOutput(page, many=True).data)

    @extend_schema(request=PlaceAgreementInput, responses={201: PlaceAgreementOutput})
    def post(self, request, pk: int):
        programme = get_object_or_404(selectors.programme_manageable_list(user=request.user), pk=pk)
        serializer = PlaceAgreementInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        agreement = services.place_agreement_create(
            programme=programme, actor=request.user, **serializer.validated_data
        )
        agreement = selectors.place_agreement_list(user=request.user, programme=programme).get(
            pk=agreement.pk
        )
        return Response(PlaceAgreementOutput(agreement).data, status=status.HTTP_201_CREATED)


# Quotes and places


class ProgrammeQuoteApi(APIView):
    """The month's price for one centre and age class (or a child's age class): market price,
    the parent's share and fee, the employer's part, the subsidy and the net monthly cost."""

    permission_classes = [QuoteAccess]

    @extend_schema(parameters=[QuoteQuery], responses=QuoteDetailOutput)
    def get(self, request, pk: int):
        params = _query(QuoteQuery, request)
        month = params.get("start_month") or selectors.default_start_month()
        is_parent = request.user.role == Role.PARENT
        programmes = selectors.programme_visible_list(user=request.user, month=month)
        programme = get_object_or_404(programmes, pk=pk)
        centres = programme.centres.all()
        if is_parent:
            centres = centres.filter(status=RegistrationStatus.APPROVED)
        centre = centres.filter(pk=params["centre"]).first()
        if centre is None:
            raise _invalid("centre", _("Choose one of the programme's centres."))
        fitting = (
            _child_age_classes(request.user, params["child"], month)
            if "child" in params
            else (params["age_class"],)
        )
        if "age_class" in params and params["age_class"] not in fitting:
            raise _invalid("age_class", _("The child does not fit this age class that month."))
        offer = None
        for age_class in (params["age_class"],) if "age_class" in params else fitting:
            offer = selectors.programme_offer(
                programme=programme, centre=centre, age_class=age_class, month=month
            )
            if offer is not None:
                break
        if offer is None:
            raise _invalid(
                "age_class",
                _("The programme offers no place of this age class at %(centre)s in %(month)s.")
                % {"centre": centre.name, "month": format_month(month)},
            )
        quote = offer.quote
        data = {
            **{name: getattr(quote, name) for name in QuoteOutput().fields},
            "programme": programme.pk,
            "centre": centre.pk,
            "centre_name": centre.name,
            "age_class": offer.age_class,
            "age_class_label": offer.age_class_label,
            "start_month": month,
            "free_places": offer.free_places,
            "several_prices": offer.several_prices,
            "per_place_price": None if is_parent else quote.per_place_price,
        }
        return Response(QuoteDetailOutput(data).data)


class PlacesApi(APIView):
    """Union staff: places bought, used and free across the city, and the running programmes by
    model and by funder; a centre admin: the same for their centre, with each class."""

    permission_classes = [PlacesAccess]

    @extend_schema(parameters=[PlacesQuery], responses=PlacesOutput)
    def get(self, request):
        params = _query(PlacesQuery, request)
        month = params.get("month") or month_start(timezone.localdate())
        summary = selectors.places_summary(user=request.user, month=month)
        return Response(PlacesOutput(summary).data)


urlpatterns = [
    path("programmes/", ProgrammeListApi.as_view(), name="api-programme-list"),
    path("programmes/<int:pk>/", ProgrammeDetailApi.as_view(), name="api-programme-detail"),
    *[
        path(f"programmes/<int:pk>/{action}/", view.as_view(), name=f"api-programme-{action}")
        for action, view in (
            ("submit", ProgrammeSubmitApi),
            ("approve", ProgrammeApproveApi),
            ("refuse", ProgrammeRefuseApi),
            ("suspend", ProgrammeSuspendApi),
            ("end", ProgrammeEndApi),
        )
    ],
    path(
        "programmes/<int:pk>/place-agreements/",
        PlaceAgreementListApi.as_view(),
        name="api-programme-place-agreements",
    ),
    path("programmes/<int:pk>/quote/", ProgrammeQuoteApi.as_view(), name="api-programme-quote"),
    path("places/", PlacesApi.as_view(), name="api-places"),
]
