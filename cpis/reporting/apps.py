from django.utils.translation import gettext_lazy as _

from cpis.core import registry


class ReportingConfig(registry.CpisAppConfig):
    verbose_name = _("Reporting chain")
    urls = (("staff/reports/", "cpis.reporting.urls"),)
    api = ("/reports", "cpis.reporting.api.router")
    demo = "cpis.reporting.demo"
    work_today = "cpis.reporting.work.today"
