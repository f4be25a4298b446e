from django.urls import path

from ..views import scanning

urlpatterns = [
    path("open-from/", scanning.open_from, name="open_from"),
    path("open-from/concerns/", scanning.open_from_concerns, name="open_from_concerns"),
    path("found/<slug:kind>/<int:record_id>/", scanning.found_problem, name="found"),
    path("<int:problem_id>/sources/", scanning.sources_tab, name="sources"),
]
