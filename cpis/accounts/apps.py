from django.utils.translation import gettext_lazy as _

from cpis.core import registry


class AccountsConfig(registry.CpisAppConfig):
    verbose_name = _("Accounts")
    urls = (("accounts/", "cpis.accounts.urls"),)
