"""Input and output shapes of the welfare API. Public room output carries no personal data."""

from decimal import Decimal

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field, extend_schema_serializer
from rest_framework import serializers

from apps.accounts.models import Role
from apps.core.geo import wgs84_to_gcj02
from apps.core.models import Area
from apps.core.pii import mask

from .models import (
    CareClass,
    CareClassEnrolment,
    CareClassSession,
    CollectiveContract,
    Level,
    MotherRoom,
    MotherRoomInspection,
    StatutoryFloor,
)
from .models.contracts import NATIONAL_MINIMUM, Provision

LATITUDE = {"max_digits": 9, "decimal_places": 6, "min_value": Decimal(3), "max_value": Decimal(54)}
LONGITUDE = {
    "max_digits": 9,
    "decimal_places": 6,
    "min_value": Decimal(73),
    "max_value": Decimal(136),
}


# Caring mother rooms


class PublicRoomQuery(serializers.Serializer):
    area = serializers.IntegerField(required=False, min_value=1)
    function = serializers.MultipleChoiceField(choices=MotherRoom.Function.choices, required=False)
    lat = serializers.DecimalField(required=False, **LATITUDE)
    lng = serializers.DecimalField(required=False, **LONGITUDE)
    datum = serializers.ChoiceField(
        choices=[("gcj02", "GCJ-02"), ("wgs84", "WGS-84")],
        default="gcj02",
        help_text=_("Datum of lat/lng: GCJ-02 (Chinese maps, default) or WGS-84 (GPS)."),
    )
    radius_km = serializers.DecimalField(
        required=False,
        max_digits=6,
        decimal_places=3,
        min_value=Decimal("0.001"),
        max_value=Decimal(100),
    )

    def validate(self, attrs):
        if ("lat" in attrs) != ("lng" in attrs):
            missing = "lng" if "lat" in attrs else "lat"
            raise serializers.ValidationError({missing: _("Give latitude and longitude together.")})
        if "radius_km" in attrs and "lat" not in attrs:
            raise serializers.ValidationError(
                {"radius_km": _("A radius needs a point: give lat and lng.")}
            )
        return attrs

    def selector_kwargs(self) -> dict:
        data = self.validated_data
        latitude, longitude = data.get("lat"), data.get("lng")
        if latitude is not None and data["datum"] == "wgs84":
            latitude, longitude = wgs84_to_gcj02(latitude, longitude)
        return {
            "area": data.get("area"),
            "functions": tuple(sorted(data.get("function", ()))),
            "latitude": latitude,
            "longitude": longitude,
            "radius_km": data.get("radius_km"),
        }


class PublicRoomOutput(serializers.ModelSerializer):
    """What anyone may see: the host organisation, never a person's name or number."""

    host = serializers.SerializerMethodField()
    level_label = serializers.CharField(source="get_level_display")
    area_name = serializers.CharField(source="area.name")
    functions = serializers.ListField(child=serializers.CharField())
    function_labels = serializers.ListField(child=serializers.CharField())
    distance_km = serializers.SerializerMethodField()

    class Meta:
        model = MotherRoom
        fields = [
            "id",
            "name",
            "host",
            "level",
            "level_label",
            "recognised_on",
            "address",
            "area",
            "area_name",
            "floor_area_m2",
            "latitude",
            "longitude",
            "opening_hours",
            "functions",
            "function_labels",
            "distance_km",
        ]

    def get_host(self, room) -> str:
        return room.host.name

    @extend_schema_field(serializers.FloatField(allow_null=True))
    def get_distance_km(self, room):
        return getattr(room, "distance_km", None)


def _status_codes(choices) -> str:
    return ", ".join(value for value, _label in choices)


# Statuses are plain strings in the schema: an enum under the shared name "status" collides
# with other apps' status enums (see the report); the codes are listed in the help text.
class ManagedRoomOutput(PublicRoomOutput):
    status = serializers.CharField(help_text=_status_codes(MotherRoom.Status.choices))
    status_label = serializers.CharField(source="get_status_display")

    class Meta(PublicRoomOutput.Meta):
        fields = [
            *PublicRoomOutput.Meta.fields,
            "version",
            "status",
            "status_label",
            "refusal_reason",
            "host_employer",
            "host_union",
        ]


class RoomProposalInput(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    version = serializers.ChoiceField(choices=MotherRoom.Version.choices)
    address = serializers.CharField(max_length=200)
    area = serializers.PrimaryKeyRelatedField(queryset=Area.objects.filter(is_active=True))
    floor_area_m2 = serializers.DecimalField(max_digits=6, decimal_places=1)
    latitude = serializers.DecimalField(**LATITUDE)
    longitude = serializers.DecimalField(**LONGITUDE)
    opening_hours = serializers.CharField(max_length=100)
    functions = serializers.MultipleChoiceField(choices=MotherRoom.Function.choices)
    host_union = serializers.IntegerField(required=False, help_text=_("Union staff only."))
    host_employer = serializers.IntegerField(required=False, help_text=_("Union staff only."))

    def service_fields(self) -> dict:
        data = dict(self.validated_data)
        functions = data.pop("functions")
        data.pop("host_union", None)
        data.pop("host_employer", None)
        data["offers_health"] = MotherRoom.Function.HEALTH in functions
        data["offers_feeding"] = MotherRoom.Function.FEEDING in functions
        data["offers_early_education"] = MotherRoom.Function.EARLY_EDUCATION in functions
        return data


class RoomApproveInput(serializers.Serializer):
    level = serializers.ChoiceField(choices=Level.choices, default=Level.QIANAN)
    recognised_on = serializers.DateField(default=timezone.localdate)


class RoomRefuseInput(serializers.Serializer):
    reason = serializers.CharField(max_length=200)


class RoomLevelInput(serializers.Serializer):
    level = serializers.ChoiceField(choices=Level.choices)
    recognised_on = serializers.DateField()
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class InspectionInput(serializers.Serializer):
    inspected_on = serializers.DateField()
    measured_area_m2 = serializers.DecimalField(
        max_digits=6, decimal_places=1, min_value=Decimal(0)
    )
    results = serializers.DictField(child=serializers.BooleanField())
    notes = serializers.CharField(required=False, allow_blank=True, default="")


class InspectionOutput(serializers.ModelSerializer):
    # Codes of the Level choices; plain strings so the schema keeps one name for that enum.
    level_before = serializers.CharField()
    level_after = serializers.CharField()

    class Meta:
        model = MotherRoomInspection
        fields = [
            "id",
            "room",
            "inspected_on",
            "checklist_version",
            "measured_area_m2",
            "results",
            "failed_items",
            "outcome",
            "level_before",
            "level_after",
            "notes",
        ]


# Union care classes


class SessionSerializer(serializers.ModelSerializer):
    class Meta:
        model = CareClassSession
        fields = ["id", "date", "starts_at", "ends_at", "place"]
        read_only_fields = ["id"]


# One component name for the class's input and output: its enums then get one clear name.
@extend_schema_serializer(component_name="CareClass")
class CareClassOutput(serializers.ModelSerializer):
    organiser = serializers.SerializerMethodField()
    kind_label = serializers.CharField(source="get_kind_display")
    status = serializers.CharField(help_text=_status_codes(CareClass.Status.choices))
    status_label = serializers.CharField(source="get_status_display")
    recognised_by_label = serializers.CharField(source="get_recognised_by_display")
    area_name = serializers.CharField(source="area.name")
    places_left = serializers.IntegerField()
    sessions = SessionSerializer(many=True)

    class Meta:
        model = CareClass
        fields = [
            "id",
            "name",
            "organiser",
            "organiser_union",
            "organiser_employer",
            "kind",
            "kind_label",
            "status",
            "status_label",
            "place",
            "area",
            "area_name",
            "min_age",
            "max_age",
            "capacity",
            "enrolled",
            "places_left",
            "fee",
            "restricted_to_organiser",
            "recognised_by",
            "recognised_by_label",
            "recognised_on",
            "description",
            "sessions",
        ]

    def get_organiser(self, care_class) -> str:
        return care_class.organiser.name


@extend_schema_serializer(component_name="CareClass")
class CareClassInput(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    kind = serializers.ChoiceField(choices=CareClass.Kind.choices)
    place = serializers.CharField(max_length=200)
    area = serializers.PrimaryKeyRelatedField(queryset=Area.objects.filter(is_active=True))
    min_age = serializers.IntegerField(default=6)
    max_age = serializers.IntegerField(default=12)
    capacity = serializers.IntegerField(min_value=1)
    fee = serializers.DecimalField(
        max_digits=12, decimal_places=2, min_value=Decimal(0), default=Decimal("0.00")
    )
    restricted_to_organiser = serializers.BooleanField(default=False)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    organiser_union = serializers.IntegerField(required=False, help_text=_("Union staff only."))
    organiser_employer = serializers.IntegerField(required=False, help_text=_("Union staff only."))
    open = serializers.BooleanField(default=False)
    sessions = SessionSerializer(many=True, required=False)


class RecognitionInput(serializers.Serializer):
    recognised_by = serializers.ChoiceField(
        choices=CareClass.RecognisedBy.choices, allow_blank=True
    )
    recognised_on = serializers.DateField(required=False, allow_null=True, default=None)


class EnrolmentInput(serializers.Serializer):
    child = serializers.IntegerField()


def child_label(child, viewer) -> str:
    """An employer admin sees only the family name: enough to call a roll, no more."""
    if viewer.role == Role.EMPLOYER_ADMIN:
        return mask(child.full_name, keep_start=1, keep_end=0) or "*"
    return child.full_name


class EnrolmentOutput(serializers.ModelSerializer):
    status = serializers.CharField(help_text=_status_codes(CareClassEnrolment.Status.choices))
    child_name = serializers.SerializerMethodField()

    class Meta:
        model = CareClassEnrolment
        fields = ["id", "care_class", "child", "child_name", "status", "created_at"]

    def get_child_name(self, enrolment) -> str:
        return child_label(enrolment.child, self.context["request"].user)


class AttendanceMark(serializers.Serializer):
    enrolment = serializers.IntegerField()
    present = serializers.BooleanField()


class AttendanceInput(serializers.Serializer):
    marks = AttendanceMark(many=True, allow_empty=False)


class AttendanceRow(serializers.Serializer):
    enrolment = serializers.IntegerField()
    child_name = serializers.CharField()
    present = serializers.BooleanField(allow_null=True)


# Female-worker collective contracts

PROVISION_FIELDS = [provision.value for provision in Provision]


class ContractOutput(serializers.ModelSerializer):
    employer_name = serializers.CharField(source="employer.name")
    in_force = serializers.SerializerMethodField()
    days_to_expiry = serializers.SerializerMethodField()
    signed_file_url = serializers.SerializerMethodField()

    class Meta:
        model = CollectiveContract
        fields = [
            "id",
            "employer",
            "employer_name",
            "signed_on",
            "starts_on",
            "ends_on",
            "in_force",
            "days_to_expiry",
            *PROVISION_FIELDS,
            "flexible_hours",
            "flexible_hours_terms",
            "job_retention",
            "job_retention_terms",
            "signed_file_type",
            "signed_file_url",
        ]

    def get_in_force(self, contract) -> bool:
        return contract.starts_on <= timezone.localdate() <= contract.ends_on

    def get_days_to_expiry(self, contract) -> int:
        return (contract.ends_on - timezone.localdate()).days

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_signed_file_url(self, contract):
        if not contract.signed_file:
            return None
        return reverse("api-collective-contract-file", args=[contract.pk])


class ContractInput(serializers.Serializer):
    employer = serializers.IntegerField(required=False, help_text=_("Union staff only."))
    signed_on = serializers.DateField()
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    maternity_leave_days = serializers.IntegerField(required=False, min_value=0, max_value=999)
    spouse_care_leave_days = serializers.IntegerField(required=False, min_value=0, max_value=999)
    nursing_minutes_per_day = serializers.IntegerField(required=False, min_value=0, max_value=480)
    nursing_until_months = serializers.IntegerField(required=False, min_value=0, max_value=72)
    parental_leave_days = serializers.IntegerField(required=False, min_value=0, max_value=999)
    flexible_hours = serializers.BooleanField(default=False)
    flexible_hours_terms = serializers.CharField(required=False, allow_blank=True, default="")
    job_retention = serializers.BooleanField(default=False)
    job_retention_terms = serializers.CharField(required=False, allow_blank=True, default="")
    signed_file = serializers.FileField(required=False)


class FileInput(serializers.Serializer):
    signed_file = serializers.FileField()


class MissingEmployerOutput(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    credit_code = serializers.CharField()
    area_name = serializers.CharField(source="area.name")
    last_contract_ended_on = serializers.DateField(allow_null=True)


class StatutoryFloorOutput(serializers.ModelSerializer):
    label = serializers.CharField(source="get_provision_display")
    national_minimum = serializers.SerializerMethodField()

    class Meta:
        model = StatutoryFloor
        fields = ["provision", "label", "minimum", "national_minimum", "source"]

    def get_national_minimum(self, floor) -> int:
        return NATIONAL_MINIMUM[Provision(floor.provision)]
