"""Forms of the programme pages: the parent's search, the employer's programme and its place
agreements. The rules live in the services; these forms only shape the input."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.centres.models import AgeClass, Centre, RegistrationStatus
from apps.core.geo import wgs84_to_gcj02
from apps.core.models import Area

from .models import Employer, PlaceAgreement, Programme
from .pricing import format_month, parse_month
from .selectors.programmes import ListingFilters, default_start_month
from .services.programmes import MAX_OFFER_DAYS

RADIUS_CHOICES = [
    ("1", _("within 1 km")),
    ("3", _("within 3 km")),
    ("5", _("within 5 km")),
    ("10", _("within 10 km")),
]


class MonthField(forms.CharField):
    """A month picked as YYYY-MM (the browser's month input), cleaned to its first day."""

    widget = forms.TextInput(attrs={"type": "month", "placeholder": "YYYY-MM"})

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return None
        try:
            return parse_month(value)
        except ValueError:
            raise forms.ValidationError(_("Enter a month as YYYY-MM.")) from None

    def prepare_value(self, value):
        return format_month(value) if hasattr(value, "month") else value


class ProgrammeSearchForm(forms.Form):
    """The parent's search: which child, from which month, and where."""

    child = forms.TypedChoiceField(label=_("Child"), coerce=int, required=False, empty_value=None)
    start_month = MonthField(label=_("Start month"), required=False)
    area = forms.ModelChoiceField(
        label=_("Area"),
        queryset=Area.objects.filter(is_active=True),
        required=False,
        empty_label=_("All areas"),
    )
    radius_km = forms.TypedChoiceField(
        label=_("Distance"), choices=RADIUS_CHOICES, coerce=float, initial="3", required=False
    )
    lat = forms.FloatField(required=False, min_value=3, max_value=54, widget=forms.HiddenInput)
    lng = forms.FloatField(required=False, min_value=73, max_value=136, widget=forms.HiddenInput)
    # Browsers report WGS-84; centres are stored in GCJ-02.
    datum = forms.ChoiceField(
        choices=[("gcj02", "GCJ-02"), ("wgs84", "WGS-84")], required=False, widget=forms.HiddenInput
    )

    def __init__(self, data=None, *args, children=(), **kwargs):
        if data is not None and not data.get("radius_km"):
            data = data.copy()
            data["radius_km"] = "3"  # the default radius, shown as chosen
        super().__init__(data, *args, **kwargs)
        self.fields["child"].choices = [("", _("Any child"))] + [
            (child.pk, child.full_name) for child in children
        ]
        self.fields["start_month"].initial = format_month(default_start_month())

    def clean(self):
        data = super().clean()
        if (data.get("lat") is None) != (data.get("lng") is None):
            raise forms.ValidationError(_("Your location is incomplete; locate again."))
        return data

    def filters(self, *, age_classes=None) -> ListingFilters:
        data = self.cleaned_data
        latitude, longitude = data.get("lat"), data.get("lng")
        if latitude is not None and data.get("datum") == "wgs84":
            latitude, longitude = map(float, wgs84_to_gcj02(Decimal(latitude), Decimal(longitude)))
        return ListingFilters(
            month=data.get("start_month") or default_start_month(),
            latitude=latitude,
            longitude=longitude,
            radius_km=data.get("radius_km") or 3,
            area_id=data["area"].pk if data.get("area") else None,
            age_classes=age_classes,
        )


class ProgrammeForm(forms.Form):
    """An employer's programme; federation programmes are registered by union staff."""

    name = forms.CharField(label=_("Name"), max_length=100)
    delivery_model = forms.ChoiceField(
        label=_("Model"),
        choices=[c for c in Programme.DeliveryModel.choices if c[0] != "federation"],
    )
    employers = forms.ModelMultipleChoiceField(
        label=_("Other employers whose workers may apply"),
        queryset=Employer.objects.filter(status=RegistrationStatus.APPROVED),
        required=False,
        help_text=_("Joint programmes list their partners; co-built ones their tenant businesses."),
    )
    centres = forms.ModelMultipleChoiceField(
        label=_("Centres"), queryset=Centre.objects.filter(status=RegistrationStatus.APPROVED)
    )
    parent_share_percent = forms.DecimalField(
        label=_("Share of the market price the parent pays (%)"),
        max_digits=5,
        decimal_places=2,
        min_value=0,
        max_value=100,
    )
    subsidy_amount = forms.DecimalField(
        label=_("Monthly subsidy to the parent (yuan)"),
        max_digits=12,
        decimal_places=2,
        min_value=0,
        initial=0,
    )
    subsidy_basis = forms.ChoiceField(
        label=_("Subsidy paid"), choices=Programme.SubsidyBasis.choices
    )
    subsidy_funder = forms.ChoiceField(
        label=_("Subsidy funded by"), choices=Programme.Funder.choices
    )
    priority_groups = forms.MultipleChoiceField(
        label=_("Priority groups"),
        choices=Programme.PriorityGroup.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    offer_days = forms.IntegerField(
        label=_("Days to answer an offer"), min_value=1, max_value=MAX_OFFER_DAYS, initial=7
    )
    start_date = forms.DateField(
        label=_("Runs from"), widget=forms.DateInput(attrs={"type": "date"})
    )
    end_date = forms.DateField(
        label=_("Runs until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    description = forms.CharField(
        label=_("Description"), required=False, max_length=2000, widget=forms.Textarea
    )

    @staticmethod
    def initial_for(programme: Programme) -> dict:
        names = [name for name in ProgrammeForm.base_fields if name not in ("employers", "centres")]
        initial = {name: getattr(programme, name) for name in names}
        initial["employers"] = list(programme.employers.all())
        initial["centres"] = list(programme.centres.all())
        return initial


class PlaceAgreementForm(forms.Form):
    centre = forms.ModelChoiceField(label=_("Centre"), queryset=Centre.objects.none())
    age_class = forms.ChoiceField(label=_("Age class"), choices=AgeClass.choices)
    places = forms.IntegerField(label=_("Places bought"), min_value=1, max_value=32767)
    start_month = MonthField(label=_("From month"))
    end_month = MonthField(label=_("Until month"), required=False)
    payment_mode = forms.ChoiceField(
        label=_("Employer pays"),
        choices=PlaceAgreement.PaymentMode.choices,
        widget=forms.RadioSelect,
        initial=PlaceAgreement.PaymentMode.PER_ENROLLED_CHILD,
    )
    agreed_monthly_price = forms.DecimalField(
        label=_("Agreed monthly price per place (yuan)"),
        max_digits=12,
        decimal_places=2,
        min_value=0,
        required=False,
        help_text=_("Only when paying per bought place."),
    )

    def __init__(self, *args, programme: Programme, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["centre"].queryset = programme.centres.all()
