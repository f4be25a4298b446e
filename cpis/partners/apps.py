from django.utils.translation import gettext_lazy as _

from cpis.core import registry


class PartnersConfig(registry.CpisAppConfig):
    verbose_name = _("Partners")
    urls = (("staff/partners/", "cpis.partners.urls"),)
    api = ("/partners", "cpis.partners.api.router")
    demo = "cpis.partners.demo"
    personal_data = "cpis.partners.personal_data"
