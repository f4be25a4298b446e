from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConcernsConfig(AppConfig):
    name = "cpis.concerns"
    verbose_name = _("Citizen concerns")
