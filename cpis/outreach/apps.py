from django.utils.translation import gettext_lazy as _

from cpis.core import registry


class OutreachConfig(registry.CpisAppConfig):
    verbose_name = _("Outreach")
    urls = (("staff/outreach/", "cpis.outreach.urls"),)
    api = ("/outreach", "cpis.outreach.api.router")
    demo = "cpis.outreach.demo"
