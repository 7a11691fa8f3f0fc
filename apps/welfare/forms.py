from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.core.geo import wgs84_to_gcj02
from apps.core.models import Area

from .models import MotherRoom

RADIUS_CHOICES = [
    ("", _("any distance")),
    ("1", _("within 1 km")),
    ("3", _("within 3 km")),
    ("5", _("within 5 km")),
    ("10", _("within 10 km")),
]


class MotherRoomFilterForm(forms.Form):
    """The public room finder's filters; the same rules as the API's query parameters."""

    area = forms.ModelChoiceField(
        label=_("Area"),
        queryset=Area.objects.filter(is_active=True),
        required=False,
        empty_label=_("All areas"),
    )
    function = forms.MultipleChoiceField(
        label=_("Functions"),
        choices=MotherRoom.Function.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    lat = forms.DecimalField(
        required=False,
        max_digits=9,
        decimal_places=6,
        min_value=Decimal(3),
        max_value=Decimal(54),
        widget=forms.HiddenInput,
    )
    lng = forms.DecimalField(
        required=False,
        max_digits=9,
        decimal_places=6,
        min_value=Decimal(73),
        max_value=Decimal(136),
        widget=forms.HiddenInput,
    )
    # Browsers report WGS-84; a map link or an app may already send GCJ-02.
    datum = forms.ChoiceField(
        choices=[("gcj02", "GCJ-02"), ("wgs84", "WGS-84")],
        required=False,
        widget=forms.HiddenInput,
    )
    radius_km = forms.TypedChoiceField(
        label=_("Distance"),
        choices=RADIUS_CHOICES,
        required=False,
        coerce=Decimal,
        empty_value=None,
    )

    def clean(self):
        data = super().clean()
        has_point = data.get("lat") is not None and data.get("lng") is not None
        if (data.get("lat") is None) != (data.get("lng") is None):
            raise forms.ValidationError(_("Your location is incomplete; locate again."))
        if data.get("radius_km") is not None and not has_point:
            self.add_error("radius_km", _("Use your location to search by distance."))
        return data

    def selector_kwargs(self) -> dict:
        data = self.cleaned_data
        area = data.get("area")
        latitude, longitude = data.get("lat"), data.get("lng")
        if latitude is not None and data.get("datum") == "wgs84":
            latitude, longitude = wgs84_to_gcj02(latitude, longitude)
        return {
            "area": area.pk if area else None,
            "functions": tuple(sorted(data.get("function") or ())),
            "latitude": latitude,
            "longitude": longitude,
            "radius_km": data.get("radius_km"),
        }
