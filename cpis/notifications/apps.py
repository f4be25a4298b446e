from django.utils.translation import gettext_lazy as _

from cpis.core import registry


class NotificationsConfig(registry.CpisAppConfig):
    verbose_name = _("Notifications")
    urls = (("staff/inbox/", "cpis.notifications.urls"),)
    demo = "cpis.notifications.demo"
    # After the other demos: the inbox tells of their concerns, reports and complaints.
    demo_order = 1
    daily_jobs = ("cpis.notifications.tasks.send_digests",)
