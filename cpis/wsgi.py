import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cpis.settings.production")
application = get_wsgi_application()

# Each worker loads the analytics kernels in the background as it starts, so that the first
# analysis a person asks for does not wait for numba (CPIS_WARM_ANALYTICS=0 turns it off).
if os.environ.get("CPIS_WARM_ANALYTICS", "1") != "0":
    from cpis.analytics.stats import warm

    warm.start()
