from django.utils.translation import gettext_lazy as _

from cpis.core import registry


class MediaConfig(registry.CpisAppConfig):
    verbose_name = _("Media analysis")
    urls = (("staff/media/", "cpis.media.urls"),)
    api = ("/media", "cpis.media.api.router")
    demo = "cpis.media.demo"
    demo_order = 1  # after the problems demo, whose problems some reports are linked to
    evaluation_sections = ("cpis.media.evaluation.section",)
