"""The public reports map and "me too", mounted at reports/."""

from django.urls import path

from . import public_views

app_name = "concerns_public"
urlpatterns = [
    path("", public_views.reports, name="reports"),
    path("reports.geojson", public_views.reports_geojson, name="geojson"),
    path("nearby/", public_views.nearby, name="nearby"),
    path("<slug:reference>/support/", public_views.support, name="support"),
    path("<slug:reference>/photo/", public_views.photo, name="photo"),
]
