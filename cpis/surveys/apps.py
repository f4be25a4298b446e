from django.utils.translation import gettext_lazy as _

from cpis.core import registry


class SurveysConfig(registry.CpisAppConfig):
    verbose_name = _("Perception surveys")
    urls = (
        ("staff/surveys/", "cpis.surveys.urls"),
        ("surveys/", "cpis.surveys.public_urls"),
    )
    api = ("/surveys", "cpis.surveys.api.router")
    demo = "cpis.surveys.demo"
    # Last, after problems (1): the survey demo reads what the others made — the
    # incidents and their planted problems, closed concerns, forum meetings, outreach.
    demo_order = 2
    daily_jobs = ("cpis.surveys.tasks.daily_job",)
    personal_data = "cpis.surveys.personal_data"
    work_today = "cpis.surveys.work.today"
