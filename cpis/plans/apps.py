from django.utils.translation import gettext_lazy as _

from cpis.core import registry


class PlansConfig(registry.CpisAppConfig):
    verbose_name = _("Action plan")
    urls = (("staff/plans/", "cpis.plans.urls"),)
    demo = "cpis.plans.demo"
    daily_jobs = ("cpis.plans.tasks.daily_job",)
    work_today = "cpis.plans.work.today"
