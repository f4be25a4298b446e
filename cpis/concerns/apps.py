from django.utils.translation import gettext_lazy as _

from cpis.core import registry


class ConcernsConfig(registry.CpisAppConfig):
    verbose_name = _("Citizen concerns")
    urls = (
        ("staff/concerns/", "cpis.concerns.urls"),
        ("reports/", "cpis.concerns.public_urls"),
    )
    api = ("/concerns", "cpis.concerns.api.router")
    demo = "cpis.concerns.demo"
    daily_jobs = ("cpis.concerns.tasks.daily_job", "cpis.concerns.tasks.notify_overdue")
    personal_data = "cpis.concerns.personal_data"
    work_today = "cpis.concerns.work.today"
