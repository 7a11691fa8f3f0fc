from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from apps.core import views as core_views

api_v1 = [
    path("", include("apps.accounts.api_urls")),
    path("", include("apps.members.api_urls")),
    path("", include("apps.centres.api_urls")),
    path("", include("apps.employers.api_urls")),
    path("", include("apps.admissions.api_urls")),
    path("", include("apps.pilots.api_urls")),
    path("", include("apps.subsidies.api_urls")),
    path("", include("apps.welfare.api_urls")),
    path("", include("apps.reports.api_urls")),
]

urlpatterns = [
    path("", core_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("accounts/", include("apps.accounts.urls")),
    path("", include("apps.reports.urls")),
    path("", include("apps.admissions.urls")),
    path("", include("apps.admissions.urls_attendance")),
    path("", include("apps.pilots.urls")),
    path("", include("apps.subsidies.urls")),
    path("", include("apps.subsidies.urls_payouts")),
    path("", include("apps.employers.urls_programmes")),
    path("parent/", include("apps.employers.urls_parent")),
    path("parent/", include("apps.members.urls")),
    path("centre/", include("apps.centres.urls")),
    path("employer/", include("apps.employers.urls")),
    path("", include("apps.welfare.urls")),
    # Placeholders for portals whose pages have not landed yet; real pages above take precedence.
    path("", include("apps.core.urls")),
    path("api/v1/", include(api_v1)),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
]

admin.site.site_header = _("Qian'an Caring Childcare · Administration")
admin.site.site_title = _("Qian'an Caring Childcare")
admin.site.index_title = _("Union staff console")
