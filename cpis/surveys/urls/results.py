"""Where survey results show for staff: the dashboard, a place's survey page
(for a wave, or the newest that surveyed it) and the panel on a sector's profile."""

from django.urls import path

from ..views import results as views

urlpatterns = [
    path("results/", views.results_dashboard, name="results"),
    path("results/waves/<int:wave_id>/places/<int:unit_id>/", views.place_results, name="place_results"),
    path("results/places/<int:unit_id>/", views.place_latest, name="place_latest"),
    path("results/sectors/<int:sector_id>/panel/", views.sector_panel, name="sector_panel"),
]
