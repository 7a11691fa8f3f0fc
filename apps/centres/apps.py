from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CentresConfig(AppConfig):
    name = "apps.centres"
    label = "centres"
    verbose_name = _("Childcare centres")
