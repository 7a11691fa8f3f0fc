"""Input and output shapes of the admissions API. The employer admin's shape carries no child
detail: only the applicant, employer, programme, age class and start month."""

from datetime import date

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from apps.centres.models import AgeClass, Centre, CentreClass
from apps.employers.models import Programme
from apps.employers.pricing import format_month, parse_month
from apps.employers.selectors.programmes import programme_and_centre
from apps.members.models import Guardianship
from apps.members.selectors import child_list

from ..models import Application, Enrolment


@extend_schema_field({"type": "string", "pattern": r"^\d{4}-\d{2}$", "example": "2026-09"})
class MonthField(serializers.Field):
    """A month written YYYY-MM, held as its first day."""

    def to_internal_value(self, data) -> date:
        try:
            return parse_month(str(data))
        except ValueError:
            raise serializers.ValidationError(_("Give the month as YYYY-MM.")) from None

    def to_representation(self, value: date) -> str:
        return format_month(value)


class ApplicationQuoteOutput(serializers.Serializer):
    month = serializers.CharField()
    market_price = serializers.DecimalField(max_digits=12, decimal_places=2)
    parent_share_percent = serializers.DecimalField(max_digits=5, decimal_places=2)
    parent_fee = serializers.DecimalField(max_digits=12, decimal_places=2)
    employer_part = serializers.DecimalField(max_digits=12, decimal_places=2)
    subsidy = serializers.DecimalField(max_digits=12, decimal_places=2)
    subsidy_basis = serializers.CharField()
    subsidy_funder = serializers.CharField()
    net_monthly_cost = serializers.DecimalField(max_digits=12, decimal_places=2)
    payment_mode = serializers.CharField(allow_null=True)
    free_places = serializers.IntegerField()
    several_prices = serializers.BooleanField()


# The stored quote has ApplicationQuoteOutput's keys when it was made by applying; applications
# recorded by union staff or older ones may hold none, so no key is promised.
@extend_schema_field(
    {
        "type": "object",
        "additionalProperties": True,
        "description": "The quote as shown when applying (ApplicationQuoteOutput's keys).",
    }
)
class QuoteJson(serializers.JSONField):
    """The quote as it was shown when applying (kept as submitted)."""


class _ApplicationBase(serializers.ModelSerializer):
    state_label = serializers.CharField(source="get_state_display", read_only=True)
    applicant_name = serializers.CharField(source="applicant.full_name", read_only=True)
    programme_name = serializers.CharField(source="programme.name", read_only=True)
    employer_name = serializers.CharField(
        source="employer.name", read_only=True, default=None, allow_null=True
    )
    age_class_label = serializers.CharField(source="get_age_class_display", read_only=True)
    start_month = MonthField(read_only=True)


class ApplicationEmployerOutput(_ApplicationBase):
    """What an employer admin sees: no child's name, birth date or centre details."""

    class Meta:
        model = Application
        fields = ["id", "state", "state_label", "applicant_name", "employer", "employer_name"]
        fields += ["programme", "programme_name", "age_class", "age_class_label", "start_month"]
        fields += ["submitted_at", "employment_left_flag"]


class ApplicationOutput(_ApplicationBase):
    """What the family, the centre's admins and union staff see."""

    child_name = serializers.CharField(source="child.full_name", read_only=True)
    child_birth_date = serializers.DateField(source="child.birth_date", read_only=True)
    centre_name = serializers.CharField(source="centre.name", read_only=True)
    class_name = serializers.CharField(
        source="centre_class.name", read_only=True, default=None, allow_null=True
    )
    place_in_line = serializers.IntegerField(read_only=True, allow_null=True)
    quote = QuoteJson(read_only=True)

    class Meta:
        model = Application
        fields = ["id", "state", "state_label", "child", "child_name", "child_birth_date"]
        fields += ["applicant", "applicant_name", "employer", "employer_name", "programme"]
        fields += ["programme_name", "centre", "centre_name", "age_class", "age_class_label"]
        fields += ["start_month", "priority_groups", "priority_rank", "place_in_line"]
        fields += ["submitted_at", "state_changed_at", "centre_class", "class_name"]
        fields += ["offer_expires_at", "reason", "quote", "employment_left_flag"]


class AdmissionEnrolmentOutput(serializers.ModelSerializer):
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    child_name = serializers.CharField(source="child.full_name", read_only=True)
    programme_name = serializers.CharField(source="programme.name", read_only=True)
    centre_name = serializers.CharField(source="centre.name", read_only=True)
    class_name = serializers.CharField(source="centre_class.name", read_only=True)
    age_class = serializers.CharField(source="centre_class.age_class", read_only=True)

    class Meta:
        model = Enrolment
        fields = ["id", "application", "status", "status_label", "child", "child_name"]
        fields += ["programme", "programme_name", "centre", "centre_name", "centre_class"]
        fields += ["class_name", "age_class", "start_date", "end_date", "market_price"]
        fields += ["parent_share_percent", "parent_fee", "employer_part", "subsidy_amount"]
        fields += ["subsidy_basis", "subsidy_funder", "payment_mode"]


class ApplicationAcceptOutput(serializers.Serializer):
    application = ApplicationOutput()
    enrolment = AdmissionEnrolmentOutput()


# Input


@extend_schema_field(OpenApiTypes.INT)
class OwnChildField(serializers.PrimaryKeyRelatedField):
    """A child of the asking parent; anyone else's child is "not found" like a missing one."""

    default_error_messages = {"does_not_exist": gettext_lazy("Choose one of your own children.")}

    def get_queryset(self):
        # Only the child itself is needed here: not its guardians.
        return child_list(user=self.context["request"].user).prefetch_related(None)


@extend_schema_field(OpenApiTypes.INT)
class ApplyingChildField(OwnChildField):
    """A child of the asking parent, loaded in one query with the parent's member record
    (`child.applying_member`), who is the applicant."""

    def to_internal_value(self, data):
        if isinstance(data, bool) or not str(data).isdigit():
            self.fail("incorrect_type", data_type=type(data).__name__)
        guardianship = (
            Guardianship.objects.select_related("child", "guardian")
            .filter(child_id=int(data), guardian__user=self.context["request"].user)
            .first()
        )
        if guardianship is None:
            self.fail("does_not_exist", pk_value=data)
        child = guardianship.child
        child.applying_member = guardianship.guardian
        return child


LARGEST_ID = 2**63 - 1


class ApplicationInput(serializers.Serializer):
    child = ApplyingChildField()
    programme = serializers.IntegerField(
        min_value=1, max_value=LARGEST_ID, help_text=gettext_lazy("The programme's id.")
    )
    centre = serializers.IntegerField(
        min_value=1,
        max_value=LARGEST_ID,
        help_text=gettext_lazy("The id of one of the programme's centres."),
    )
    age_class = serializers.ChoiceField(choices=AgeClass.choices)
    start_month = MonthField()
    shift_worker = serializers.BooleanField(
        default=False, help_text=gettext_lazy("The applicant works shifts (a priority group).")
    )

    def validate(self, attrs: dict) -> dict:
        programme, centre = programme_and_centre(
            programme_id=attrs["programme"], centre_id=attrs["centre"]
        )
        if programme is None:
            raise serializers.ValidationError({"programme": [_("Choose a programme open to you.")]})
        if centre is None:
            raise serializers.ValidationError({"centre": [_("Choose a centre of the programme.")]})
        attrs["programme"], attrs["centre"] = programme, centre
        return attrs


class QuoteQuery(serializers.Serializer):
    programme = serializers.PrimaryKeyRelatedField(queryset=Programme.objects.all())
    centre = serializers.PrimaryKeyRelatedField(queryset=Centre.objects.all())
    age_class = serializers.ChoiceField(choices=AgeClass.choices)
    start_month = MonthField()
    child = OwnChildField(required=False)


class ApplicationReasonInput(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, max_length=300)


class ApplicationRejectInput(serializers.Serializer):
    reason = serializers.CharField(max_length=300)


class ApplicationOfferInput(ApplicationReasonInput):
    centre_class = serializers.PrimaryKeyRelatedField(
        queryset=CentreClass.objects.all(), required=False, allow_null=True
    )


class EnrolmentEndInput(ApplicationReasonInput):
    end_date = serializers.DateField()


class ApplicationFilter(serializers.Serializer):
    state = serializers.MultipleChoiceField(choices=Application.State.choices, required=False)
    programme = serializers.IntegerField(required=False, min_value=1)
    centre = serializers.IntegerField(required=False, min_value=1)


class WaitingListFilter(serializers.Serializer):
    programme = serializers.IntegerField(required=False, min_value=1)
    age_class = serializers.ChoiceField(choices=AgeClass.choices, required=False)
