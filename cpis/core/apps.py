from django.utils.translation import gettext_lazy as _

from . import registry


class CoreConfig(registry.CpisAppConfig):
    verbose_name = _("Core")
    daily_jobs = ("cpis.core.tasks.prune_spent",)

    def ready(self) -> None:
        from . import checks  # noqa: F401 - registers the deployment checks
