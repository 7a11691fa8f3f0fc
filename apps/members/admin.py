"""Union staff console for unions, members and children. ID numbers are only ever shown masked."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import Model, Prefetch
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from apps.accounts.models import Role, User
from apps.core.errors import DomainError
from apps.core.pii import sensitive_lookup
from apps.core.validators import normalize_id_number, validate_id_number

from . import services
from .models import Child, GuardianConsent, Guardianship, Member, Union

ADMIN_REASON = _("Done by union staff in the admin console.")


def add_domain_error(form: forms.Form, error: DomainError, rename: dict | None = None) -> None:
    """Show a service's refusal on the form, on the fields it names."""
    if not error.fields:
        form.add_error(None, error.message)
    for field, messages in error.fields.items():
        name = (rename or {}).get(field, field)
        form.add_error(name if name in form.fields else None, messages)


def adopt(obj: Model, saved: Model) -> None:
    """Let the admin carry on (redirect, log entry) with the object a service saved."""
    obj.__dict__.update(saved.__dict__)


def masked_id_number(obj) -> str:
    return obj.id_number_masked or "—"


def id_number_search(queryset, search_term: str):
    """Rows whose ID number equals the search term, found by its hash (never by plaintext)."""
    number = normalize_id_number(search_term)
    try:
        validate_id_number(number)
    except ValidationError:
        return queryset.none()
    return queryset.filter(**sensitive_lookup("id_number", number, normalize=normalize_id_number))


class ReadOnlyMixin:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# Unions


class UnionForm(forms.ModelForm):
    class Meta:
        model = Union
        fields = ["name", "kind", "parent", "area", "is_active"]

    def clean(self):
        cleaned = super().clean()
        try:
            services.union_check_parent(
                union=self.instance, kind=cleaned.get("kind"), parent=cleaned.get("parent")
            )
        except DomainError as error:
            add_domain_error(self, error)
        return cleaned


@admin.register(Union)
class UnionAdmin(SimpleHistoryAdmin):
    form = UnionForm
    list_display = ["name", "kind", "parent", "area", "is_active"]
    list_filter = ["kind", "is_active", "area"]
    search_fields = ["name", "parent__name"]
    list_select_related = ["parent", "area"]
    list_per_page = 50

    def has_delete_permission(self, request, obj=None):
        return False  # deactivate instead: members, employers and centres point at unions

    def save_model(self, request, obj, form, change):
        data = {name: form.cleaned_data[name] for name in UnionForm.Meta.fields}
        if change:
            saved = services.union_update(
                union=Union.objects.get(pk=obj.pk), actor=request.user, **data
            )
        else:
            saved = services.union_create(actor=request.user, **data)
        adopt(obj, saved)


# Members


def _checked(check, value):
    """Run a service check in a `clean_<field>`; its refusal becomes that field's error."""
    try:
        normalised = check(value)
    except DomainError as error:
        messages = [m for ms in error.fields.values() for m in ms] or [error.message]
        raise forms.ValidationError(messages) from None
    return value if normalised is None else normalised


class MemberAddForm(forms.ModelForm):
    id_number_entry = forms.CharField(label=_("resident ID number"), max_length=30)
    mobile = forms.CharField(label=_("mobile number"), max_length=30)

    class Meta:
        model = Member
        fields = ["user", "full_name", "id_number_entry", "mobile", "union"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = User.objects.filter(
            role=Role.PARENT, member__isnull=True
        ).order_by("username")

    def clean_id_number_entry(self):
        return _checked(services.member_check_id_number, self.cleaned_data["id_number_entry"])

    def clean_mobile(self):
        return _checked(services.member_check_mobile, self.cleaned_data["mobile"])

    def clean_user(self):
        return _checked(services.member_check_user, self.cleaned_data["user"])


class MemberChangeForm(forms.ModelForm):
    mobile = forms.CharField(label=_("mobile number"), max_length=30)

    class Meta:
        model = Member
        fields = ["full_name", "mobile", "union", "membership"]

    def clean_mobile(self):
        return _checked(services.member_check_mobile, self.cleaned_data["mobile"])

    def clean(self):
        cleaned = super().clean()
        try:
            services.member_check_membership(
                membership=cleaned.get("membership"), union=cleaned.get("union")
            )
        except DomainError as error:
            add_domain_error(self, error)
        return cleaned


@admin.register(Member)
class MemberAdmin(SimpleHistoryAdmin):
    list_display = ["full_name", "masked_id_number", "masked_mobile", "union", "membership"]
    list_display += ["user", "created_at"]
    list_filter = ["membership", "union__kind", "union"]
    search_fields = ["full_name", "=mobile", "user__username", "union__name"]
    search_help_text = _("Name, exact mobile number, account, union or exact ID number.")
    list_select_related = ["union", "user"]
    list_per_page = 50
    exclude = ["id_number", "id_number_hash"]

    @admin.display(description=_("resident ID number"))
    def masked_id_number(self, obj):
        return masked_id_number(obj)

    @admin.display(description=_("mobile number"))
    def masked_mobile(self, obj):
        return obj.mobile_masked

    def get_form(self, request, obj=None, change=False, **kwargs):
        kwargs["form"] = MemberChangeForm if obj is not None else MemberAddForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        return ["user", "masked_id_number", "membership_verified_at", "created_at"]

    def has_delete_permission(self, request, obj=None):
        return False  # consents, guardianships and employments depend on the member

    def get_search_results(self, request, queryset, search_term):
        found, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        return found | id_number_search(queryset, search_term), may_have_duplicates

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        if not change:
            saved = services.member_create(
                user=data["user"],
                full_name=data["full_name"],
                id_number=data["id_number_entry"],
                mobile=data["mobile"],
                union=data["union"],
                actor=request.user,
            )
            return adopt(obj, saved)
        member = Member.objects.get(pk=obj.pk)
        services.member_update(
            member=member, full_name=data["full_name"], union=data["union"], actor=request.user
        )
        services.member_update_mobile(member=member, mobile=data["mobile"], actor=request.user)
        saved = services.member_membership_set(
            member=member, membership=data["membership"], actor=request.user, reason=ADMIN_REASON
        )
        adopt(obj, saved)


@admin.register(GuardianConsent)
class GuardianConsentAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["guardian", "notice_version", "given_at"]
    list_filter = ["notice_version"]
    search_fields = ["guardian__full_name", "notice_version"]
    list_select_related = ["guardian"]
    list_per_page = 50


# Children


class GuardianshipInline(ReadOnlyMixin, admin.TabularInline):
    model = Guardianship
    fields = ["guardian", "relation"]
    readonly_fields = ["guardian", "relation"]
    extra = 0


@admin.register(Child)
class ChildAdmin(ReadOnlyMixin, SimpleHistoryAdmin):
    """Read-only: a child is stored by a guardian, with consent, from the parent portal."""

    fields = ["full_name", "birth_date", "sex", "masked_id_number", "consent", "created_at"]
    fields += ["anonymised_at"]
    readonly_fields = fields
    inlines = [GuardianshipInline]
    list_display = ["full_name", "birth_date", "sex", "masked_id_number", "guardian_names"]
    list_display += ["created_at"]
    list_filter = ["sex", "guardianships__relation"]
    search_fields = ["full_name", "guardians__full_name"]
    search_help_text = _("Name, a guardian's name or exact ID number.")
    list_select_related = ["consent"]
    list_per_page = 50

    def get_queryset(self, request):
        guardianships = Guardianship.objects.select_related("guardian").order_by("id")
        return (
            super()
            .get_queryset(request)
            .prefetch_related(Prefetch("guardianships", queryset=guardianships))
        )

    @admin.display(description=_("resident ID number"))
    def masked_id_number(self, obj):
        return masked_id_number(obj)

    @admin.display(description=_("guardians"))
    def guardian_names(self, obj):
        return "、".join(g.guardian.full_name for g in obj.guardianships.all())

    def get_search_results(self, request, queryset, search_term):
        found, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        return found | id_number_search(queryset, search_term), may_have_duplicates


@admin.register(Guardianship)
class GuardianshipAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["child", "guardian", "relation"]
    list_filter = ["relation"]
    search_fields = ["child__full_name", "guardian__full_name"]
    list_select_related = ["child", "guardian"]
    list_per_page = 50
