from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "apps.reports"
    label = "reports"
    verbose_name = _("Reports")

    def ready(self) -> None:
        from django.contrib import admin

        from .admin_exports import export_to_xlsx

        # Site-wide: every admin list gets the export without touching the other apps.
        admin.site.add_action(export_to_xlsx, "export_xlsx")
