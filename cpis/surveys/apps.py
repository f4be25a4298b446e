from django.utils.translation import gettext_lazy as _

from cpis.core import registry


class SurveysConfig(registry.CpisAppConfig):
    verbose_name = _("Perception surveys")
    urls = (
        ("staff/surveys/", "cpis.surveys.urls"),
        ("surveys/", "cpis.surveys.public_urls"),
    )
    daily_jobs = ("cpis.surveys.tasks.daily_job",)
