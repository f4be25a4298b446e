"""Deployment checks of CPIS's own settings (`cpis check --deploy`)."""

from typing import Any

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def trusted_proxies_declared(app_configs: Any, **kwargs: Any) -> list[Warning]:
    if getattr(settings, "TRUSTED_PROXY_COUNT_DECLARED", True):
        return []
    return [
        Warning(
            "TRUSTED_PROXY_COUNT is not set.",
            hint=(
                "Set it to the number of reverse proxies in front of CPIS that append to "
                "X-Forwarded-For, or to 0 when clients connect directly. Behind an undeclared "
                "proxy every client has the proxy's address, so one client's rate limits and "
                "lockouts fall on everyone."
            ),
            id="cpis.W001",
        )
    ]
