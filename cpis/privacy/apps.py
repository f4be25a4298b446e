from django.utils.translation import gettext_lazy as _

from cpis.core import registry


class PrivacyConfig(registry.CpisAppConfig):
    verbose_name = _("Data protection")
    urls = (("staff/privacy/", "cpis.privacy.urls"),)
