"""Pieces the subsidies API modules share; role permissions by method and the month field are
the employers API's (`method_roles`, `MonthField`)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from apps.employers.api.programmes import MonthField, method_roles

__all__ = ["Money", "MonthField", "inline_choice", "method_roles", "query"]


def Money(**kwargs) -> serializers.DecimalField:  # a field class in all but name
    """Yuan to the fen, rendered as a string ("200.00") so no client parses it as a float."""
    return serializers.DecimalField(max_digits=14, decimal_places=2, **kwargs)


def inline_choice(choices, **kwargs) -> serializers.ChoiceField:
    """A choice field whose enum is inlined in the schema: "kind" and "status" name enums of
    other apps too, and a shared component name would need ENUM_NAME_OVERRIDES in settings."""
    schema = {"type": "string", "enum": [value for value, _label in choices]}
    field_class = extend_schema_field(schema)(
        type("InlineChoiceField", (serializers.ChoiceField,), {})
    )
    return field_class(choices=choices, **kwargs)


def query(serializer_class, request) -> dict:
    params = serializer_class(data=request.query_params.dict())
    params.is_valid(raise_exception=True)
    return params.validated_data
