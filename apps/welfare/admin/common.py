from django import forms
from django.contrib import messages
from django.utils.translation import gettext as _

from ..errors import WelfareError


def add_service_errors(form: forms.Form, fields: dict[str, list[str]]) -> None:
    """Show a service's field errors on the form, on the field itself when the form has it."""
    for field, field_messages in fields.items():
        for message in field_messages:
            form.add_error(field if field in form.fields else None, message)


def run_action(modeladmin, request, queryset, service) -> None:
    """Call `service(obj, actor)` for each selected row; refusals are reported, not raised."""
    done = 0
    for obj in queryset:
        try:
            service(obj, request.user)
            done += 1
        except WelfareError as error:
            modeladmin.message_user(request, f"{obj}: {error.message}", messages.WARNING)
    if done:
        modeladmin.message_user(request, _("%(count)d updated.") % {"count": done})


def adopt(obj, saved) -> None:
    """Make the admin's unsaved `obj` the row a service saved, for the admin's log and redirect."""
    obj.__dict__.update({name: value for name, value in saved.__dict__.items() if name != "_state"})
    obj._state.adding = False
    obj._state.db = saved._state.db
