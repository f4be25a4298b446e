from django.utils.translation import gettext_lazy as _

from cpis.core import registry


class AnalyticsConfig(registry.CpisAppConfig):
    name = "cpis.analytics"
    verbose_name = _("Analytics")
    urls = (("staff/analytics/", "cpis.analytics.urls"),)
    api = ("/analytics", "cpis.analytics.api.router")
    demo = "cpis.analytics.demo"
    demo_order = 1  # the daily scan over the incidents and concerns every other demo wrote (plans' demo adds concerns)
    daily_jobs = ("cpis.analytics.tasks.daily_job",)
