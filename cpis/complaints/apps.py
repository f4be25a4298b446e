from django.utils.translation import gettext_lazy as _

from cpis.core import registry


class ComplaintsConfig(registry.CpisAppConfig):
    verbose_name = _("Complaints against police")
    urls = (("staff/complaints/", "cpis.complaints.urls"),)
    personal_data = "cpis.complaints.personal_data"
    work_today = "cpis.complaints.work.today"
