from django.utils.translation import gettext_lazy as _

from cpis.core import registry


class NotificationsConfig(registry.CpisAppConfig):
    verbose_name = _("Notifications")
    urls = (("staff/inbox/", "cpis.notifications.urls"),)
    demo = "cpis.notifications.demo"
    # After every other demo (analytics' scan included): their services wrote the inboxes.
    demo_order = 2
    daily_jobs = ("cpis.notifications.tasks.send_digests", "cpis.notifications.tasks.prune_read")
