"""Union staff console for applications and enrolments: read, search and follow the history.

States move only through the services (the parents', admins' and system's moves), so the
records are read-only here; the actions run the system's own moves on demand.
"""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from .models import Application, Enrolment
from .services import offers


class ReadOnlyHistoryAdmin(SimpleHistoryAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        # The change page stays viewable; nothing on it can be saved.
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Application)
class ApplicationAdmin(ReadOnlyHistoryAdmin):
    list_display = [
        "id",
        "child",
        "programme",
        "centre",
        "age_class",
        "start_month",
        "state",
        "priority_rank",
        "submitted_at",
        "offer_expires_at",
        "employment_left_flag",
    ]
    list_filter = ["state", "age_class", "employment_left_flag", "programme__delivery_model"]
    search_fields = ["child__full_name", "applicant__full_name", "programme__name", "centre__name"]
    list_select_related = ["child", "programme", "centre"]
    date_hierarchy = "submitted_at"
    ordering = ["-submitted_at", "-id"]
    actions = ["offer_free_places", "expire_due_offers"]

    @admin.action(description=_("Offer free places to the first in line"))
    def offer_free_places(self, request, queryset):
        offered = offers.queues_fill_free()
        self.message_user(
            request,
            ngettext("%(count)d place offered.", "%(count)d places offered.", len(offered))
            % {"count": len(offered)},
            messages.SUCCESS,
        )

    @admin.action(description=_("Expire offers past their deadline"))
    def expire_due_offers(self, request, queryset):
        expired = offers.offers_expire_due()
        self.message_user(
            request,
            ngettext("%(count)d offer expired.", "%(count)d offers expired.", len(expired))
            % {"count": len(expired)},
            messages.SUCCESS,
        )


@admin.register(Enrolment)
class EnrolmentAdmin(ReadOnlyHistoryAdmin):
    list_display = [
        "id",
        "child",
        "centre",
        "centre_class",
        "programme",
        "status",
        "start_date",
        "end_date",
        "market_price",
        "parent_fee",
        "subsidy_amount",
    ]
    list_filter = ["status", "subsidy_basis", "subsidy_funder"]
    search_fields = ["child__full_name", "centre__name", "programme__name"]
    list_select_related = ["child", "centre", "centre_class__centre", "programme"]
    date_hierarchy = "start_date"


# Registers the Attendance admin, kept in its own module.
from . import admin_attendance  # noqa: E402, F401
