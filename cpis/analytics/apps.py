from django.utils.translation import gettext_lazy as _

from cpis.core import registry


class AnalyticsConfig(registry.CpisAppConfig):
    verbose_name = _("Analytics")
    urls = (("staff/analytics/", "cpis.analytics.urls"),)
    api = ("/analytics", "cpis.analytics.api.router")
    demo = "cpis.analytics.demo"
    # After every other demo: its daily scan reads their incidents and concerns (plans' adds some).
    demo_order = 1
    daily_jobs = ("cpis.analytics.tasks.daily_job", "cpis.analytics.tasks.near_repeat_job")
    # Each newly imported incident checked against the patterns the daily push keeps.
    frequent_jobs = ("cpis.analytics.tasks.near_repeat_new_job",)
    work_today = "cpis.analytics.work.today"
    # Elements 1 and 3 of the six-monthly evaluation.
    evaluation_sections = (
        "cpis.analytics.evaluation.section_service",
        "cpis.analytics.evaluation.section_deployment",
    )
