"""The filters every report takes: a period of whole months and, for union staff, an area or a
union. Read from query parameters by one serializer, for the pages and the API alike."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from apps.core.models import Area
from apps.members.models import Union

from .periods import MAX_MONTHS, Period, month_label, months_between, parse_month

# Keeps an id PostgreSQL's integer columns can hold: a larger one is a 400, never a 500.
MAX_ID = 2**31 - 1


@dataclass(frozen=True)
class Filters:
    period: Period
    area: Area | None = None
    union: Union | None = None

    @property
    def query(self) -> dict[str, str]:
        """The filters as query parameters, for links to rows and exports."""
        query = dict(self.period.query)
        if self.area is not None:
            query["area"] = str(self.area.pk)
        if self.union is not None:
            query["union"] = str(self.union.pk)
        return query


@extend_schema_field({"type": "string", "pattern": r"^\d{4}-\d{2}$", "example": "2026-03"})
class MonthField(serializers.Field):
    default_error_messages = {"month": _("Enter a month as YYYY-MM, e.g. 2026-03.")}

    def to_internal_value(self, data):
        if not isinstance(data, str) or len(data) > 7:
            self.fail("month")
        try:
            return parse_month(data)
        except ValueError:
            self.fail("month")

    def to_representation(self, value) -> str:
        return month_label(value)


class FiguresQuery(serializers.Serializer):
    """Query parameters of the figures: the period defaults to this year so far."""

    period_start = MonthField(
        required=False,
        help_text=_("First month, YYYY-MM (default: January of the last month's year)."),
    )
    period_end = MonthField(
        required=False, help_text=_("Last month, YYYY-MM (default: this month).")
    )
    area = serializers.IntegerField(
        required=False, min_value=1, max_value=MAX_ID, help_text=_("Area id (union staff only).")
    )
    union = serializers.IntegerField(
        required=False, min_value=1, max_value=MAX_ID, help_text=_("Union id (union staff only).")
    )

    def validate(self, attrs):
        default = Period.default()
        end = attrs.get("period_end") or default.end
        start = attrs.get("period_start") or end.replace(month=1)
        if start > end:
            raise serializers.ValidationError(
                {"period_end": [_("The period ends before it starts.")]}
            )
        if months_between(start, end) > MAX_MONTHS:
            raise serializers.ValidationError(
                {
                    "period_end": [
                        _("A period can cover at most %(months)s months.") % {"months": MAX_MONTHS}
                    ]
                }
            )
        attrs["period"] = Period(start, end)
        attrs["area"] = self._lookup(Area, attrs.get("area"), "area", _("No such area."))
        attrs["union"] = self._lookup(Union, attrs.get("union"), "union", _("No such union."))
        return attrs

    @staticmethod
    def _lookup(model, pk, field: str, message):
        if pk is None:
            return None
        found = model.objects.filter(pk=pk).first()
        if found is None:
            raise serializers.ValidationError({field: [message]})
        return found

    def filters(self) -> Filters:
        data = self.validated_data
        return Filters(period=data["period"], area=data["area"], union=data["union"])


def read_filters(params) -> tuple[Filters | None, dict[str, list[str]]]:
    """(filters, {}) from query parameters, or (None, {field: [messages]})."""
    query = FiguresQuery(data=params)
    if not query.is_valid():
        return None, {name: [str(m) for m in messages] for name, messages in query.errors.items()}
    return query.filters(), {}


__all__ = ["FiguresQuery", "Filters", "month_label", "read_filters"]
