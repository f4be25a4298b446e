from django.utils.translation import gettext_lazy as _

from cpis.core import registry


class AlertsConfig(registry.CpisAppConfig):
    verbose_name = _("Alerts for citizens")
    urls = (("alerts/", "cpis.alerts.urls"),)
    demo = "cpis.alerts.demo"
    demo_order = 2  # after every other demo: its watermarks start after all they wrote
    daily_jobs = ("cpis.alerts.tasks.daily_job",)
    frequent_jobs = ("cpis.alerts.tasks.fan_out_job",)
    personal_data = "cpis.alerts.personal_data"
