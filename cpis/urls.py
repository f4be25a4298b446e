"""The URL map: every app's URLs, as its AppConfig declares them (cpis.core.registry),
then the API, the admin and the health checks."""

from django.contrib import admin
from django.urls import include, path

from cpis.core import views as core_views
from cpis.core.registry import app_urls

from .api import api

urlpatterns = [
    *(path(prefix, include(module)) for prefix, module in app_urls()),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
    path("healthz/live", core_views.live, name="live"),
    path("healthz/ready", core_views.ready, name="ready"),
]

handler400 = "cpis.core.faults.bad_request"
handler500 = "cpis.core.faults.server_error"
