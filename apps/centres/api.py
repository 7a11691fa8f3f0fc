"""API for centres and their classes: the public directory, the centre's own data, approvals."""

import math

from django.db import transaction
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import PolymorphicProxySerializer, extend_schema, extend_schema_field
from rest_framework import generics, serializers
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.accounts.models import Role
from apps.accounts.permissions import IsUnionStaff, role_permission
from apps.core.models import Area
from apps.members.models import Union

from . import selectors, services
from .models import Centre, CentreClass
from .ratios import AgeClass

AnySignedInRole = role_permission(*Role.values)
CentreManagers = role_permission(Role.UNION_STAFF, Role.CENTRE_ADMIN)
MAX_RADIUS_KM = 50  # the city is about 40 km across


class ReadOnly(BasePermission):
    def has_permission(self, request, view) -> bool:
        return request.method in SAFE_METHODS


def _manages(user) -> bool:
    return user.role in (Role.UNION_STAFF, Role.CENTRE_ADMIN)


# Output


class CentreClassOutput(serializers.ModelSerializer):
    age_class_label = serializers.CharField(source="get_age_class_display", read_only=True)
    caregivers_count = serializers.IntegerField(source="caregivers_active", read_only=True)
    caregivers_needed = serializers.IntegerField(read_only=True)
    within_ratio = serializers.BooleanField(read_only=True)

    class Meta:
        model = CentreClass
        fields = ["id", "centre", "name", "age_class", "age_class_label", "capacity"]
        fields += ["monthly_price", "is_active", "caregivers_count", "caregivers_needed"]
        fields += ["within_ratio"]


class CentreOutOfRatioOutput(CentreClassOutput):
    centre_name = serializers.CharField(source="centre.name", read_only=True)

    class Meta(CentreClassOutput.Meta):
        fields = [*CentreClassOutput.Meta.fields, "centre_name"]


class CentreDirectoryOutput(serializers.ModelSerializer):
    """What everyone signed in sees of an approved centre."""

    area_name = serializers.CharField(source="area.name", read_only=True)
    classes = CentreClassOutput(many=True, read_only=True)
    distance_km = serializers.SerializerMethodField()

    class Meta:
        model = Centre
        fields = ["id", "name", "address", "area", "area_name", "latitude", "longitude"]
        fields += ["contact_phone", "offers_welfare_childcare", "classes", "distance_km"]

    @extend_schema_field(serializers.FloatField(allow_null=True))
    def get_distance_km(self, centre) -> float | None:
        distance = getattr(centre, "distance_km", None)
        return None if distance is None else round(distance, 3)


class CentreManagedOutput(CentreDirectoryOutput):
    """What union staff and the centre's own admins see."""

    status_label = serializers.CharField(source="get_status_display", read_only=True)
    filing_status_label = serializers.CharField(source="get_filing_status_display", read_only=True)
    federation_name = serializers.CharField(
        source="federation.name", read_only=True, default=None, allow_null=True
    )

    class Meta(CentreDirectoryOutput.Meta):
        fields = [*CentreDirectoryOutput.Meta.fields, "credit_code", "operator"]
        fields += ["filing_number", "filing_status", "filing_status_label", "federation"]
        fields += ["federation_name", "federation_staff_count", "status", "status_label"]
        fields += ["created_at"]


def _centre_output(user):
    return CentreManagedOutput if _manages(user) else CentreDirectoryOutput


def _centre_schema(many: bool = False) -> PolymorphicProxySerializer:
    return PolymorphicProxySerializer(
        component_name="CentreByRole",
        serializers=[CentreManagedOutput, CentreDirectoryOutput],
        resource_type_field_name=None,
        many=many,
    )


# Input


class CentreListQuery(serializers.Serializer):
    lat = serializers.FloatField(required=False, min_value=-90, max_value=90)
    lng = serializers.FloatField(required=False, min_value=-180, max_value=180)
    radius_km = serializers.FloatField(required=False, help_text=gettext_lazy("Default 3 km."))
    area = serializers.IntegerField(required=False, min_value=1)
    welfare = serializers.BooleanField(required=False)

    def validate_radius_km(self, value: float) -> float:
        if not math.isfinite(value) or not 0 < value <= MAX_RADIUS_KM:
            raise serializers.ValidationError(
                _("Enter a radius above 0 and at most %(max)d km.") % {"max": MAX_RADIUS_KM}
            )
        return value

    def validate(self, attrs):
        located = {"lat", "lng"} & set(attrs)
        half_a_point = len(located) == 1
        if half_a_point or ("radius_km" in attrs and not located):
            missing = "lng" if "lat" in attrs else "lat"
            message = _("Give both lat and lng to search by distance.")
            raise serializers.ValidationError({missing: [message]})
        return attrs


class CentreUpdateInput(serializers.Serializer):
    """Fields a centre's admin may change; union staff may also change the staff-only ones."""

    address = serializers.CharField(max_length=200)
    area = serializers.PrimaryKeyRelatedField(queryset=Area.objects.filter(is_active=True))
    latitude = serializers.DecimalField(max_digits=9, decimal_places=6)
    longitude = serializers.DecimalField(max_digits=9, decimal_places=6)
    contact_phone = serializers.CharField(max_length=20, allow_blank=True)
    filing_number = serializers.CharField(max_length=50, allow_blank=True)
    filing_status = serializers.ChoiceField(choices=Centre.Filing.choices)
    # Union staff only: the registration and the federation's own records.
    name = serializers.CharField(max_length=100)
    operator = serializers.CharField(max_length=100)
    federation = serializers.PrimaryKeyRelatedField(
        queryset=Union.objects.filter(kind=Union.Kind.INDUSTRY_FEDERATION), allow_null=True
    )
    federation_staff_count = serializers.IntegerField(min_value=0)
    offers_welfare_childcare = serializers.BooleanField()

    STAFF_ONLY = (
        "name",
        "operator",
        "federation",
        "federation_staff_count",
        "offers_welfare_childcare",
    )

    def validate(self, attrs):
        # Saying which field cannot change beats silently ignoring it.
        sent = list(self.initial_data)
        errors = {name: [_("This field cannot be changed here.")] for name in sent}
        errors = {name: messages for name, messages in errors.items() if name not in self.fields}
        if self.context["request"].user.role != Role.UNION_STAFF:
            message = _("Only union staff can change this field.")
            errors |= {name: [message] for name in self.STAFF_ONLY if name in sent}
        if errors:
            raise serializers.ValidationError(errors)
        return attrs


class CentreClassInput(serializers.Serializer):
    name = serializers.CharField(max_length=50)
    age_class = serializers.ChoiceField(choices=AgeClass.choices)
    capacity = serializers.IntegerField(min_value=1, max_value=32767)
    monthly_price = serializers.DecimalField(max_digits=12, decimal_places=2, min_value=0)
    is_active = serializers.BooleanField(required=False)
    caregivers = serializers.ListField(
        child=serializers.IntegerField(min_value=1), required=False, max_length=200
    )


class CentreReasonInput(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, max_length=1000)


# Centres


class CentreListApi(generics.ListAPIView):
    """Centres the user may see; with lat and lng, those within radius_km, nearest first."""

    permission_classes = [AnySignedInRole]
    filter_backends: list = []

    def get_serializer_class(self):
        return _centre_output(self.request.user)

    def get_queryset(self):
        query = CentreListQuery(data=self.request.query_params.dict())
        query.is_valid(raise_exception=True)
        params = query.validated_data
        centres = selectors.centre_list(user=self.request.user)
        if "area" in params:
            centres = centres.filter(area_id=params["area"])
        if "welfare" in params:
            centres = centres.filter(offers_welfare_childcare=params["welfare"])
        if "lat" in params:
            centres = selectors.centres_near(
                queryset=centres,
                latitude=params["lat"],
                longitude=params["lng"],
                radius_km=params.get("radius_km", 3),
            )
        return centres

    @extend_schema(parameters=[CentreListQuery], responses=_centre_schema(many=True))
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class CentreDetailApi(APIView):
    """A centre with its classes; its own admins and union staff may change its details."""

    permission_classes = [AnySignedInRole, ReadOnly | CentreManagers]

    @extend_schema(responses=_centre_schema())
    def get(self, request, pk: int):
        centre = get_object_or_404(selectors.centre_list(user=request.user), pk=pk)
        return Response(_centre_output(request.user)(centre).data)

    @extend_schema(request=CentreUpdateInput, responses=CentreManagedOutput)
    def patch(self, request, pk: int):
        centre = get_object_or_404(selectors.centre_manageable_list(user=request.user), pk=pk)
        serializer = CentreUpdateInput(
            data=request.data, partial=True, context={"request": request}
        )
        serializer.is_valid(raise_exception=True)
        services.centre_update(centre=centre, actor=request.user, **serializer.validated_data)
        return Response(CentreManagedOutput(_reload_centre(request.user, pk)).data)


def _reload_centre(user, pk: int) -> Centre:
    return selectors.centre_list(user=user).get(pk=pk)


class CentreTransitionApi(APIView):
    """Move a centre through its registration states; refuse and suspend need a reason."""

    permission_classes = [IsUnionStaff]
    service = staticmethod(services.centre_reinstate)

    @extend_schema(request=CentreReasonInput, responses=CentreManagedOutput)
    def post(self, request, pk: int):
        centre = get_object_or_404(selectors.centre_manageable_list(user=request.user), pk=pk)
        serializer = CentreReasonInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        reason = serializer.validated_data.get("reason", "")
        self.service(centre=centre, actor=request.user, reason=reason)
        return Response(CentreManagedOutput(_reload_centre(request.user, pk)).data)


class CentreApproveApi(CentreTransitionApi):
    permission_classes = [IsUnionStaff]
    service = staticmethod(services.centre_approve)


class CentreRefuseApi(CentreTransitionApi):
    permission_classes = [IsUnionStaff]
    service = staticmethod(services.centre_refuse)


class CentreSuspendApi(CentreTransitionApi):
    permission_classes = [IsUnionStaff]
    service = staticmethod(services.centre_suspend)


class CentreReinstateApi(CentreTransitionApi):
    permission_classes = [IsUnionStaff]
    service = staticmethod(services.centre_reinstate)


# Classes


def _caregivers(*, user, centre: Centre, ids: list[int]):
    found = list(selectors.caregiver_list(user=user, centre=centre).filter(pk__in=ids))
    missing = sorted(set(ids) - {c.pk for c in found})
    if missing:
        message = _("Caregivers %(ids)s were not found at this centre.") % {
            "ids": ", ".join(f"#{pk}" for pk in missing)
        }
        raise serializers.ValidationError({"caregivers": [message]})
    return found


class CentreClassListApi(generics.ListAPIView):
    """A centre's classes; its own admins and union staff may open new ones."""

    permission_classes = [AnySignedInRole, ReadOnly | CentreManagers]
    serializer_class = CentreClassOutput
    filter_backends: list = []

    def get_queryset(self):
        centres = selectors.centre_list(user=self.request.user, with_classes=False)
        centre = get_object_or_404(centres, pk=self.kwargs["pk"])
        return selectors.centre_class_list(user=self.request.user, centre=centre)

    @extend_schema(request=CentreClassInput, responses={201: CentreClassOutput})
    def post(self, request, pk: int):
        centre = get_object_or_404(selectors.centre_manageable_list(user=request.user), pk=pk)
        serializer = CentreClassInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        caregiver_ids = data.pop("caregivers", None)
        is_active = data.pop("is_active", True)
        # One class, its caregivers and its state land together or not at all.
        with transaction.atomic():
            centre_class = services.centre_class_create(centre=centre, actor=request.user, **data)
            if not is_active:
                services.centre_class_update(
                    centre_class=centre_class, actor=request.user, is_active=False
                )
            if caregiver_ids:
                services.centre_class_assign_caregivers(
                    centre_class=centre_class,
                    caregivers=_caregivers(user=request.user, centre=centre, ids=caregiver_ids),
                    actor=request.user,
                )
        output = selectors.centre_class_list(user=request.user).get(pk=centre_class.pk)
        return Response(CentreClassOutput(output).data, status=201)


class CentreClassDetailApi(APIView):
    """One class; its centre's admins and union staff may change it and its caregivers."""

    permission_classes = [AnySignedInRole, ReadOnly | CentreManagers]

    @extend_schema(responses=CentreClassOutput)
    def get(self, request, pk: int):
        centre_class = get_object_or_404(selectors.centre_class_list(user=request.user), pk=pk)
        return Response(CentreClassOutput(centre_class).data)

    @extend_schema(request=CentreClassInput, responses=CentreClassOutput)
    def patch(self, request, pk: int):
        centre_class = get_object_or_404(
            selectors.centre_class_manageable_list(user=request.user), pk=pk
        )
        serializer = CentreClassInput(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        caregiver_ids = data.pop("caregivers", None)
        with transaction.atomic():
            if data:
                services.centre_class_update(centre_class=centre_class, actor=request.user, **data)
            if caregiver_ids is not None:
                caregivers = _caregivers(
                    user=request.user, centre=centre_class.centre, ids=caregiver_ids
                )
                services.centre_class_assign_caregivers(
                    centre_class=centre_class, caregivers=caregivers, actor=request.user
                )
        output = selectors.centre_class_list(user=request.user).get(pk=pk)
        return Response(CentreClassOutput(output).data)


class OutOfRatioListApi(generics.ListAPIView):
    """Open classes with fewer active caregivers than the national ratio needs."""

    permission_classes = [CentreManagers]
    serializer_class = CentreOutOfRatioOutput
    filter_backends: list = []

    def get_queryset(self):
        user = self.request.user
        if user.role == Role.UNION_STAFF:
            return selectors.classes_out_of_ratio()
        return selectors.classes_out_of_ratio(centres=selectors.centre_manageable_list(user=user))
