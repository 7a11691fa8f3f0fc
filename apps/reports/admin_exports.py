"""A site-wide admin action: the selected rows (or, with "select all", every filtered row) of any
admin list as .xlsx, one column per field with its Chinese name, through core's formula-safe
writer. Sensitive values never leave: an encrypted field is exported masked (its model's
`<field>_masked`) or not at all, and hashes, passwords and API keys are left out."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from django.contrib import admin
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.http import HttpResponse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.core.pii import HASH_FIELD_SUFFIX, EncryptedTextField, mask
from apps.core.spreadsheets import xlsx_response

from .exports import CHUNK, EXPORT_LANGUAGE

# Credentials, not data: never in a spreadsheet, whoever asks.
SECRET_FIELD_NAMES = frozenset({"password", "key", "secret", "token"})
MASKED_SUFFIX = "_masked"


class ExportColumn:
    def __init__(self, field: models.Field, *, masked: bool = False):
        self.field = field
        self.masked = masked

    @property
    def header(self) -> str:
        name = str(self.field.verbose_name)
        return _("%(field)s (masked)") % {"field": name} if self.masked else name

    def value(self, obj: models.Model) -> Any:
        field = self.field
        if self.masked:
            masked = getattr(obj, f"{field.name}{MASKED_SUFFIX}", None)
            return masked if masked is not None else mask(getattr(obj, field.attname) or "")
        if field.many_to_many:
            return "、".join(str(related) for related in getattr(obj, field.name).all())
        if field.is_relation:
            related = getattr(obj, field.name)
            return "" if related is None else str(related)
        if field.choices:
            return getattr(obj, f"get_{field.name}_display")()
        value = getattr(obj, field.attname)
        if isinstance(value, bool):
            return _("Yes") if value else _("No")
        if isinstance(value, dict | list):
            return json.dumps(value, ensure_ascii=False, cls=DjangoJSONEncoder)
        return value


def _is_secret(field: models.Field) -> bool:
    # `<name>_hash` holds a keyed hash of an ID or account number: useless in a sheet, and a
    # way to match people across files.
    return field.name in SECRET_FIELD_NAMES or field.name.endswith(HASH_FIELD_SUFFIX)


def export_columns(model: type[models.Model]) -> list[ExportColumn]:
    """The model's fields in order, as they may leave the portal."""
    columns = []
    for field in [*model._meta.concrete_fields, *model._meta.many_to_many]:
        if _is_secret(field):
            continue
        # A field with a `<name>_masked` property (ID numbers, mobiles) leaves masked, as does
        # every encrypted field: its plain value is never written.
        has_masked = hasattr(model, f"{field.name}{MASKED_SUFFIX}")
        columns.append(
            ExportColumn(field, masked=isinstance(field, EncryptedTextField) or has_masked)
        )
    return columns


def _related_paths(model: type[models.Model]) -> list[str]:
    """Foreign keys, and theirs one level down, so `str()` of a related row costs no query."""
    paths = []
    for field in model._meta.concrete_fields:
        if field.many_to_one or field.one_to_one:
            paths.append(field.name)
            paths += [
                f"{field.name}__{sub.name}"
                for sub in field.related_model._meta.concrete_fields
                if (sub.many_to_one or sub.one_to_one) and not sub.null
            ]
    return paths


def export_rows(queryset: models.QuerySet, columns: list[ExportColumn]) -> Iterator[list[Any]]:
    queryset = queryset.select_related(*_related_paths(queryset.model))
    m2m = [c.field.name for c in columns if c.field.many_to_many]
    if m2m:
        # prefetch_related needs chunked iteration to stay streaming.
        queryset = queryset.prefetch_related(*m2m)
    for obj in queryset.iterator(chunk_size=CHUNK):
        yield [column.value(obj) for column in columns]


@admin.action(description=gettext_lazy("Export the selected rows to Excel (.xlsx)"))
def export_to_xlsx(modeladmin, request, queryset) -> HttpResponse:
    """Select rows (or "select all" for every row of the filtered list) and download them."""
    model = queryset.model
    with translation.override(EXPORT_LANGUAGE):
        columns = export_columns(model)
        title = str(model._meta.verbose_name_plural)
        filename = f"{title}-{timezone.localdate():%Y%m%d}.xlsx"
        return xlsx_response(
            filename,
            [column.header for column in columns],
            export_rows(queryset, columns),
            sheet_title=title,
        )


# Admin pages let anyone who can view a list export it, and nobody else.
export_to_xlsx.allowed_permissions = ("view",)
