from django.utils.translation import gettext_lazy as _

from cpis.core import registry


class IncidentsConfig(registry.CpisAppConfig):
    verbose_name = _("Incidents")
    urls = (("staff/incidents/", "cpis.incidents.urls"),)
    api = ("/incidents", "cpis.incidents.api.router")
    demo = "cpis.incidents.demo"
