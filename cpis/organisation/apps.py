from django.utils.translation import gettext_lazy as _

from cpis.core import registry


class OrganisationConfig(registry.CpisAppConfig):
    verbose_name = _("Organisation")
    urls = (("staff/", "cpis.organisation.urls"),)
    api = ("/", "cpis.organisation.api.router")

    def ready(self) -> None:
        from . import signals  # noqa: F401 - connects the receivers
