from django.utils.translation import gettext_lazy as _

from cpis.core import registry


class PortalConfig(registry.CpisAppConfig):
    verbose_name = _("Public portal")
    urls = (("", "cpis.portal.urls"),)
