"""Portal forms: sign-ups, roster upload, verification decisions, a child, another employer.

Forms check what they can field by field (so every error sits on its field); the services
check again inside their transaction, and their refusals are put on the named field too.
"""

from django import forms
from django.contrib.auth.password_validation import password_validators_help_text_html
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import User
from apps.centres.models import RegistrationStatus
from apps.core.errors import DomainError
from apps.core.models import Area
from apps.members.models import Child, Guardianship
from apps.members.services import member_check_id_number, member_check_mobile

from .models import Employer, RosterImport
from .services import registry as registry_services
from .services import signup as signup_services


def add_domain_error(form: forms.Form, error: DomainError) -> None:
    """Show a service's refusal on the fields it names (or above the form)."""
    if not error.fields:
        form.add_error(None, error.message)
    for field, messages in error.fields.items():
        form.add_error(field if field in form.fields else None, messages)


def _refusal(error: DomainError) -> forms.ValidationError:
    messages = [m for ms in error.fields.values() for m in ms] or [error.message]
    return forms.ValidationError(messages)


class PasswordsMixin(forms.Form):
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=lazy(password_validators_help_text_html, str)(),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean_password2(self):
        first, second = self.cleaned_data.get("password1"), self.cleaned_data.get("password2")
        if first and second and first != second:
            raise forms.ValidationError(_("The two passwords differ."))
        return second


def _free_username(value: str) -> str:
    value = value.strip()
    if User.objects.filter(username__iexact=value).exists():
        raise forms.ValidationError(_("This user name is taken; choose another."))
    return value


class EmployerSignupForm(PasswordsMixin):
    name = forms.CharField(label=_("Employer name"), max_length=100)
    credit_code = forms.CharField(label=_("Unified social credit code"), max_length=30)
    kind = forms.ChoiceField(label=_("Kind"), choices=Employer.Kind.choices)
    area = forms.ModelChoiceField(label=_("Area"), queryset=Area.objects.filter(is_active=True))
    address = forms.CharField(label=_("Address"), max_length=200)
    contact_name = forms.CharField(label=_("Contact person"), max_length=50)
    contact_phone = forms.CharField(label=_("Contact phone"), max_length=20)
    username = forms.CharField(
        label=_("User name of the first admin"),
        max_length=150,
        help_text=_("You sign in with it; more admins can be added later by union staff."),
    )
    field_order = ["name", "credit_code", "kind", "area", "address", "contact_name"]
    field_order += ["contact_phone", "username", "password1", "password2"]

    def clean_credit_code(self):
        try:
            return registry_services.employer_check(
                credit_code=self.cleaned_data["credit_code"], union=None
            )
        except DomainError as error:
            raise _refusal(error) from None

    def clean_contact_phone(self):
        try:
            return signup_services.check_contact_phone(self.cleaned_data["contact_phone"])
        except DomainError as error:
            raise _refusal(error) from None

    def clean_username(self):
        return _free_username(self.cleaned_data["username"])

    def service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        data["password"] = data.pop("password1")
        data.pop("password2", None)
        return data


def approved_employers():
    return Employer.objects.filter(status=RegistrationStatus.APPROVED).order_by("name", "id")


class ParentSignupForm(PasswordsMixin):
    """Phone first: mobile number is the user name. Account fields only for a new visitor."""

    full_name = forms.CharField(label=_("Full name"), max_length=50)
    id_number = forms.CharField(
        label=_("Resident ID number"),
        max_length=30,
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "text"}),
    )
    mobile = forms.CharField(
        label=_("Mobile number"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
        help_text=_("You sign in with your mobile number."),
    )
    employer = forms.ModelChoiceField(
        label=_("Employer"), queryset=approved_employers(), empty_label=_("Choose your employer")
    )
    union_member = forms.BooleanField(label=_("I am a trade union member"), required=False)
    privacy_notice = forms.BooleanField(
        label=_(
            "I agree that the portal keeps my ID number (encrypted) and mobile number to verify "
            "my employment and union membership, and shows them to my employer masked."
        )
    )

    field_order = ["full_name", "id_number", "mobile", "employer", "union_member"]
    field_order += ["password1", "password2", "privacy_notice"]

    def __init__(self, *args, with_account: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.with_account = with_account
        if not with_account:  # a signed-in parent completing their details
            del self.fields["password1"], self.fields["password2"]

    def clean_id_number(self):
        try:
            return member_check_id_number(self.cleaned_data["id_number"])
        except DomainError as error:
            raise _refusal(error) from None

    def clean_mobile(self):
        try:
            number = member_check_mobile(self.cleaned_data["mobile"])
        except DomainError as error:
            raise _refusal(error) from None
        if self.with_account and User.objects.filter(username=number).exists():
            raise forms.ValidationError(
                _("An account with this mobile number exists: sign in instead.")
            )
        return number

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        kwargs = {
            "full_name": data["full_name"],
            "id_number": data["id_number"],
            "mobile": data["mobile"],
            "employer": data["employer"],
            "union_member": data["union_member"],
            "privacy_notice_version": signup_services.PRIVACY_NOTICE_VERSION,
        }
        if self.with_account:
            kwargs["password"] = data["password1"]
        return kwargs


class RosterImportForm(forms.Form):
    file = forms.FileField(
        label=_("Roster file"),
        help_text=_(".xlsx or .csv (UTF-8 or GBK), at most 5 MB and 20,000 rows."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )
    mode = forms.ChoiceField(
        label=_("This file holds"),
        choices=RosterImport.Mode.choices,
        initial=RosterImport.Mode.FULL,
        widget=forms.RadioSelect,
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=registry_services.REASON_MAX_LENGTH,
        widget=forms.TextInput(attrs={"placeholder": _("e.g. not employed here")}),
    )


class EmploymentClaimForm(forms.Form):
    employer = forms.ModelChoiceField(
        label=_("Another employer"),
        queryset=approved_employers(),
        empty_label=_("Choose an employer"),
    )


class ChildAddForm(forms.Form):
    full_name = forms.CharField(label=_("Child's full name"), max_length=50)
    birth_date = forms.DateField(
        label=_("Date of birth"), widget=forms.DateInput(attrs={"type": "date"})
    )
    sex = forms.ChoiceField(label=_("Sex"), choices=Child.Sex.choices)
    relation = forms.ChoiceField(
        label=_("You are the child's"), choices=Guardianship.Relation.choices
    )
    id_number = forms.CharField(
        label=_("Child's resident ID number"), max_length=30, required=False
    )
    consent = forms.BooleanField(
        label=_(
            "As the child's guardian I agree that the portal keeps these details to arrange "
            "childcare, and shows them only to the centres I apply to."
        )
    )
