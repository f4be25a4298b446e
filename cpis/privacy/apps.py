from django.utils.translation import gettext_lazy as _

from cpis.core import registry


class PrivacyConfig(registry.CpisAppConfig):
    verbose_name = _("Data protection")
    urls = (("staff/privacy/", "cpis.privacy.urls"),)
    demo = "cpis.privacy.demo"
    # After every other demo: its access-log entries are reads of their records.
    demo_order = 1
    daily_jobs = ("cpis.privacy.tasks.check_access_log",)
