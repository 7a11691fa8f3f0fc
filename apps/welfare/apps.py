from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WelfareConfig(AppConfig):
    name = "apps.welfare"
    label = "welfare"
    verbose_name = _("Warm-heart services")
