from django.utils.translation import gettext_lazy as _

from cpis.core import registry


class NotificationsConfig(registry.CpisAppConfig):
    verbose_name = _("Notifications")
    urls = (("staff/inbox/", "cpis.notifications.urls"),)
    demo = "cpis.notifications.demo"
    work_today = "cpis.notifications.work.today"
    # After the demos whose services wrote the inboxes (concerns, reports); the scan's
    # clusters, told later by analytics' demo, are new and so unread anyway.
    demo_order = 1
    daily_jobs = ("cpis.notifications.tasks.send_digests", "cpis.notifications.tasks.prune_read")
