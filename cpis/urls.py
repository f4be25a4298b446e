from django.contrib import admin
from django.urls import include, path

from cpis.core import views as core_views

from .api import api

urlpatterns = [
    path("", include("cpis.portal.urls")),
    path("accounts/", include("cpis.accounts.urls")),
    path("staff/concerns/", include("cpis.concerns.urls")),
    path("staff/complaints/", include("cpis.complaints.urls")),
    path("staff/plans/", include("cpis.plans.urls")),
    path("staff/reports/", include("cpis.reporting.urls")),
    path("staff/forums/", include("cpis.forums.urls")),
    path("forums/", include("cpis.forums.public_urls")),
    path("staff/partners/", include("cpis.partners.urls")),
    path("staff/outreach/", include("cpis.outreach.urls")),
    path("staff/training/", include("cpis.training.urls")),
    path("staff/incidents/", include("cpis.incidents.urls")),
    path("staff/analytics/", include("cpis.analytics.urls")),
    path("staff/", include("cpis.organisation.urls")),
    path("api/v1/", api.urls),
    path("open311/v2/", include("cpis.open311.urls")),
    path("admin/", admin.site.urls),
    path("healthz/live", core_views.live, name="live"),
    path("healthz/ready", core_views.ready, name="ready"),
]
