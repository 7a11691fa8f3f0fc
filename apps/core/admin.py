from django.contrib import admin

from .models import Area, AuditRecord, Notice


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin):
    # Reference data without business rules: the plain admin form is the editor.
    list_display = ["name", "kind", "code", "sort_order", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "code"]
    list_editable = ["sort_order", "is_active"]


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditRecord)
class AuditRecordAdmin(ReadOnlyAdmin):
    list_display = [
        "at",
        "actor_label",
        "action",
        "target_type",
        "target_id",
        "from_state",
        "to_state",
    ]
    list_filter = ["action", "target_type"]
    search_fields = ["action", "actor_label", "target_id"]
    list_select_related = ["target_type"]
    date_hierarchy = "at"


@admin.register(Notice)
class NoticeAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "recipient", "title", "read_at"]
    search_fields = ["title", "recipient__username"]
    list_select_related = ["recipient"]
