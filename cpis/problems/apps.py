from django.utils.translation import gettext_lazy as _

from cpis.core import registry


class ProblemsConfig(registry.CpisAppConfig):
    verbose_name = _("Problem solving")
    urls = (("staff/problems/", "cpis.problems.urls"),)
    api = ("/problems", "cpis.problems.api.router")
    demo = "cpis.problems.demo"
    # After analytics: the problems are taken up from the clusters its demo scan finds.
    demo_order = 1
    daily_jobs = (
        "cpis.problems.tasks.erase_expired_vulnerable",
        "cpis.problems.tasks.recompute_assessments_daily",
        "cpis.problems.tasks.notify_due_actions",
    )
    personal_data = "cpis.problems.personal_data"
    work_today = "cpis.problems.work.today"
