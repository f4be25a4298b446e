from django.utils.translation import gettext_lazy as _

from cpis.core import registry


class ForumsConfig(registry.CpisAppConfig):
    verbose_name = _("Community safety forums")
    urls = (
        ("staff/forums/", "cpis.forums.urls"),
        ("forums/", "cpis.forums.public_urls"),
    )
    api = ("/forums", "cpis.forums.api.router")
    demo = "cpis.forums.demo"
    personal_data = "cpis.forums.personal_data"
    daily_jobs = ("cpis.forums.tasks.notify_due_action_items",)
    work_today = "cpis.forums.work.today"
    evaluation_sections = ("cpis.forums.selectors.evaluation.sustainability_section",)
