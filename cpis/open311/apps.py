from django.utils.translation import gettext_lazy as _

from cpis.core import registry


class Open311Config(registry.CpisAppConfig):
    verbose_name = _("Open311 GeoReport v2")
    urls = (("open311/v2/", "cpis.open311.urls"),)
