from django.utils.translation import gettext_lazy as _

from cpis.core import registry


class TrainingConfig(registry.CpisAppConfig):
    verbose_name = _("Training")
    urls = (("staff/training/", "cpis.training.urls"),)
    api = ("/training", "cpis.training.api.router")
    demo = "cpis.training.demo"
