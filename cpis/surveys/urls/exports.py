"""Exports of a wave's anonymised responses, under exports/."""

from django.urls import path

from ..views import exports as views

urlpatterns = [
    path("exports/", views.export_list, name="exports"),
    path("exports/<int:wave_id>.<str:fmt>", views.export_wave, name="export"),
]
