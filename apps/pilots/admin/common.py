"""Helpers for the pilots admin: run a service per row, ask for a value on an extra page."""

from django import forms
from django.contrib import messages
from django.contrib.admin import helpers
from django.db import transaction
from django.template import engines
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from ..errors import PilotError

# Small enough to keep beside the actions that use it.
ASK_PAGE = engines["django"].from_string(
    """{% extends "admin/base_site.html" %}{% load i18n %}
{% block content %}
<form method="post">{% csrf_token %}
  <p>{{ prompt }}</p>
  <ul>{% for obj in queryset %}<li>{{ obj }}</li>{% endfor %}</ul>
  {{ form.as_p }}
  {% for obj in queryset %}
  <input type="hidden" name="{{ checkbox_name }}" value="{{ obj.pk }}">{% endfor %}
  <input type="hidden" name="action" value="{{ action }}">
  <input type="hidden" name="apply" value="1">
  <input type="submit" value="{% translate 'Confirm' %}">
  <a href="" class="button cancel-link">{% translate 'Cancel' %}</a>
</form>
{% endblock %}"""
)


def add_service_errors(form: forms.Form, error: PilotError) -> None:
    if not error.fields:
        form.add_error(None, error.message)
    for field, field_messages in error.fields.items():
        form.add_error(field if field in form.fields else None, field_messages)


def run_each(model_admin, request, queryset, service, **kwargs) -> None:
    """Call `service(obj, actor, **kwargs)` per row; a refusal is reported and the rest go on."""
    done = 0
    for obj in queryset:
        try:
            with transaction.atomic():
                service(obj, request.user, **kwargs)
        except PilotError as error:
            model_admin.message_user(request, f"{obj}: {error.message}", messages.ERROR)
        else:
            done += 1
    if done:
        model_admin.message_user(
            request, _("%(count)d records changed.") % {"count": done}, messages.SUCCESS
        )


def ask_then_run(model_admin, request, queryset, *, form_class, action, prompt, service):
    """Show `form_class` on an intermediate page, then run the service with its values."""
    form = form_class(request.POST if "apply" in request.POST else None)
    if form.is_valid():
        run_each(model_admin, request, queryset, service, **form.cleaned_data)
        return None
    context = {
        **model_admin.admin_site.each_context(request),
        "title": prompt,
        "prompt": prompt,
        "queryset": queryset,
        "form": form,
        "action": action,
        "checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        "opts": model_admin.model._meta,
    }
    return TemplateResponse(request, ASK_PAGE, context)


def adopt(obj, saved) -> None:
    """Make the admin's unsaved `obj` the row a service saved, for the admin's log and redirect."""
    obj.__dict__.update({name: value for name, value in saved.__dict__.items() if name != "_state"})
    obj._state.adding = False
    obj._state.db = saved._state.db


class ReadOnlyMixin:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
