"""The public reports map, "me too", and the reporter's answer after closure, mounted at reports/."""

from django.urls import path

from .views import public

app_name = "concerns_public"
urlpatterns = [
    path("", public.reports, name="reports"),
    path("reports.geojson", public.reports_geojson, name="geojson"),
    path("nearby/", public.nearby, name="nearby"),
    path("<slug:reference>/support/", public.support, name="support"),
    path("<slug:reference>/photo/", public.photo, name="photo"),
    path("answer/<str:token>/", public.answer, name="answer"),
]
