from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .models import LoginAttempt, User
from .security import locked_user_ids, login_unlock


class LockedFilter(admin.SimpleListFilter):
    title = _("sign-in lock")
    parameter_name = "locked"

    def lookups(self, request, model_admin):
        return [("yes", _("locked now"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(pk__in=locked_user_ids())
        return queryset


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ["username", "full_name", "role", "is_active", "last_login"]
    list_filter = ["role", "is_active", "is_staff", LockedFilter]
    search_fields = ["username", "full_name", "email"]
    actions = ["unlock_sign_in"]
    _portal_fields = (_("Portal"), {"fields": ["role", "full_name", "language"]})
    fieldsets = (*DjangoUserAdmin.fieldsets, _portal_fields)
    add_fieldsets = (
        *DjangoUserAdmin.add_fieldsets,
        (_("Portal"), {"fields": ["role", "full_name"]}),
    )

    @admin.action(description=_("Unlock sign-in for the selected accounts"))
    def unlock_sign_in(self, request, queryset):
        for user in queryset:
            login_unlock(user=user, actor=request.user)
        count = queryset.count()
        message = ngettext("%(count)d account unlocked.", "%(count)d accounts unlocked.", count)
        self.message_user(request, message % {"count": count}, messages.SUCCESS)


@admin.register(LoginAttempt)
class LoginAttemptAdmin(admin.ModelAdmin):
    list_display = ["at", "user", "kind", "ip_address"]
    list_filter = ["kind"]
    search_fields = ["user__username", "ip_address"]
    list_select_related = ["user"]
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
