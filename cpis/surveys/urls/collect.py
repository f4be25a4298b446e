"""Taking responses on a phone: at a door, a forum meeting or an outreach event."""

from django.urls import path

from ..views import collect

urlpatterns = [
    path("collect/", collect.setup, name="collect"),
    path("collect/<int:wave_id>/sectors/<int:sector_id>/", collect.answers, name="collect_answers"),
]
