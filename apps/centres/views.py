"""Centre portal pages, mounted at /centre/: home (sign-up status, notices) and sign-up."""

import time
from decimal import Decimal

from django import forms
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.password_validation import password_validators_help_text_html
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.functional import lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from apps.accounts.middleware import LOGIN_AT
from apps.accounts.models import Role, User
from apps.core.errors import DomainError
from apps.core.models import Area, AuditRecord, Notice
from apps.core.ratelimit import rate_limit
from apps.core.validators import normalize_credit_code, validate_credit_code

from .models import (
    CHINA_LATITUDE_RANGE,
    CHINA_LONGITUDE_RANGE,
    Centre,
    CentreAdmin,
    RegistrationStatus,
)
from .signup import centre_signup

SIGNUPS_PER_MINUTE = 10
NOTICES_SHOWN = 10


class CentreSignupForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Centre name"), max_length=100)
    credit_code = forms.CharField(
        label=gettext_lazy("Unified social credit code"),
        max_length=30,
        validators=[validate_credit_code],
    )
    operator = forms.CharField(label=gettext_lazy("Operator"), max_length=100)
    filing_status = forms.ChoiceField(
        label=gettext_lazy("Filing with the health commission"), choices=Centre.Filing.choices
    )
    filing_number = forms.CharField(
        label=gettext_lazy("Filing number"), max_length=50, required=False
    )
    area = forms.ModelChoiceField(
        label=gettext_lazy("Area"), queryset=Area.objects.filter(is_active=True)
    )
    address = forms.CharField(label=gettext_lazy("Address"), max_length=200)
    latitude = forms.DecimalField(
        label=gettext_lazy("Latitude"),
        max_digits=9,
        decimal_places=6,
        min_value=Decimal(CHINA_LATITUDE_RANGE[0]),
        max_value=Decimal(CHINA_LATITUDE_RANGE[1]),
        help_text=gettext_lazy("From a Chinese map app (GCJ-02), e.g. 40.011800."),
        widget=forms.NumberInput(attrs={"step": "0.000001", "inputmode": "decimal"}),
    )
    longitude = forms.DecimalField(
        label=gettext_lazy("Longitude"),
        max_digits=9,
        decimal_places=6,
        min_value=Decimal(CHINA_LONGITUDE_RANGE[0]),
        max_value=Decimal(CHINA_LONGITUDE_RANGE[1]),
        help_text=gettext_lazy("e.g. 118.701200."),
        widget=forms.NumberInput(attrs={"step": "0.000001", "inputmode": "decimal"}),
    )
    contact_phone = forms.CharField(label=gettext_lazy("Contact phone"), max_length=20)
    admin_full_name = forms.CharField(label=gettext_lazy("Your full name"), max_length=100)
    username = forms.CharField(label=gettext_lazy("User name"), max_length=150)
    password1 = forms.CharField(
        label=gettext_lazy("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=lazy(password_validators_help_text_html, str)(),
    )
    password2 = forms.CharField(
        label=gettext_lazy("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean_credit_code(self):
        code = normalize_credit_code(self.cleaned_data["credit_code"])
        if Centre.objects.filter(credit_code=code).exists():
            raise forms.ValidationError(_("This credit code is already registered."))
        return code

    def clean_username(self):
        username = self.cleaned_data["username"].strip()
        if User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(_("This user name is taken; choose another."))
        return username

    def clean_password2(self):
        first, second = self.cleaned_data.get("password1"), self.cleaned_data.get("password2")
        if first and second and first != second:
            raise forms.ValidationError(_("The two passwords differ."))
        return second

    def service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        data["password"] = data.pop("password1")
        data.pop("password2")
        return data


def _add_domain_error(form: forms.Form, error: DomainError) -> None:
    if not error.fields:
        form.add_error(None, error.message)
    for field, errors in error.fields.items():
        form.add_error(field if field in form.fields else None, errors)


@rate_limit("signup-centre", limit=SIGNUPS_PER_MINUTE, period=60)
@require_http_methods(["GET", "POST"])
def centre_signup_view(request):
    """A centre and its first admin; the admin is signed in and sees 'awaiting approval'."""
    if request.user.is_authenticated:
        return render(request, "centres/signup.html", {"signed_in": True})
    form = CentreSignupForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            _centre, user = centre_signup(**form.service_kwargs())
        except DomainError as error:
            _add_domain_error(form, error)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            request.session[LOGIN_AT] = int(time.time())
            messages.success(
                request,
                _("Thank you. Union staff will review your sign-up; you will get a notice."),
            )
            return redirect("centre_portal:home")
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "centres/signup.html", {"form": form}, status=status)


def _refusal_reason(centre: Centre) -> str:
    record = (
        AuditRecord.objects.filter(
            target_type=ContentType.objects.get_for_model(Centre),
            target_id=str(centre.pk),
            action="centre.refuse",
        )
        .order_by("-at", "-id")
        .first()
    )
    return record.reason if record else ""


@require_GET
def centre_home(request):
    if not request.user.is_authenticated:
        return render(request, "centres/landing.html")
    if request.user.role != Role.CENTRE_ADMIN:
        raise PermissionDenied
    link = (
        CentreAdmin.objects.select_related("centre", "centre__area")
        .filter(user=request.user)
        .first()
    )
    centre = link.centre if link else None
    refused = centre is not None and centre.status == RegistrationStatus.REFUSED
    context = {
        "centre": centre,
        "notices": Notice.objects.filter(recipient=request.user)[:NOTICES_SHOWN],
        "refusal_reason": _refusal_reason(centre) if refused else "",
    }
    return render(request, "centres/home.html", context)
