from django.utils.translation import gettext_lazy as _

from cpis.core import registry


class AppraisalsConfig(registry.CpisAppConfig):
    verbose_name = _("Performance evaluations")
    urls = (("staff/appraisals/", "cpis.appraisals.urls"),)
    api = ("/appraisals", "cpis.appraisals.api.router")
    demo = "cpis.appraisals.demo"
    # The demo rates officers against the records every other demo wrote.
    demo_order = 1
    work_today = "cpis.appraisals.work.today"
    evaluation_sections = ("cpis.appraisals.evaluation.section",)
