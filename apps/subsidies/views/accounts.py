"""Portal pages: a payee enters its bank account (parent, centre admin, employer admin), and an
employer admin sees what it will pay under the schemes it funds."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from apps.accounts.models import Role
from apps.core.errors import DomainError
from apps.core.ratelimit import rate_limit
from apps.employers.forms import add_domain_error
from apps.employers.pricing import format_month, next_month, parse_month
from apps.employers.selectors.registry import employer_list
from apps.employers.views.portal import role_required

from ..selectors import costs as cost_selectors
from ..selectors import schemes as selectors
from ..services import accounts as services

# Each wrong password is a guess at the owner's password.
SUBMITS_PER_MINUTE = 10


class BankAccountForm(forms.Form):
    bank_name = forms.CharField(
        label=gettext_lazy("Bank and branch"),
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    account_name = forms.CharField(
        label=gettext_lazy("Name on the account"),
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    account_number = forms.CharField(
        label=gettext_lazy("Account number"),
        max_length=60,
        help_text=gettext_lazy("12 to 30 digits; spaces are ignored."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    password = forms.CharField(
        label=gettext_lazy("Your password"),
        strip=False,
        help_text=gettext_lazy("To change a bank account, enter your sign-in password again."),
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args, replacing: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not replacing:
            del self.fields["password"]

    def clean_account_number(self):
        try:
            return services.validate_account_number(self.cleaned_data["account_number"])
        except DomainError as error:
            raise forms.ValidationError(error.message) from error


HOME = {
    Role.PARENT: "parent_portal:home",
    Role.CENTRE_ADMIN: "centre_portal:home",
    Role.EMPLOYER_ADMIN: "employer_portal:home",
}


@never_cache
@rate_limit("bank-account", limit=SUBMITS_PER_MINUTE, period=60)
@require_http_methods(["GET", "POST"])
@login_required
def bank_account(request, role: str):
    """The payee's current account (masked, with its check status) and the form to enter one;
    replacing an account takes the sign-in password again. `role`: whose page this URL is."""
    if not request.user.has_role(role):
        raise PermissionDenied
    owner = selectors.bank_account_owner_for(user=request.user)
    current = services.current_account(**owner) if owner else None
    form = BankAccountForm(request.POST or None, replacing=current is not None)
    if owner is not None and request.method == "POST" and form.is_valid():
        try:
            services.bank_account_submit(actor=request.user, **owner, **form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("Thank you. Union staff will check the account."))
            return redirect(request.path)
    context = {"owner": owner, "current": current, "form": form, "home": HOME[role]}
    return render(request, "subsidies/bank_account.html", context)


@require_GET
@role_required(Role.EMPLOYER_ADMIN)
def employer_costs(request):
    """The schemes covering the employer's programmes and its estimated cost for a month."""
    employer = employer_list(user=request.user).first()
    if employer is None:
        return redirect("employer_portal:home")
    try:
        month = parse_month(request.GET.get("month", ""))
    except ValueError:
        month = next_month(timezone.localdate())
    context = {
        "employer": employer,
        "month": format_month(month),
        "estimate": cost_selectors.employer_cost_estimate(employer=employer, month=month),
        "schemes": selectors.scheme_list(user=request.user),
    }
    return render(request, "subsidies/employer_costs.html", context)
