"""A sector's agreed priorities: the list, a sector's page and its panel on the
sector profile, proposals from the ranking, one priority and its steps."""

from django.urls import path

from ..views import priorities as views

urlpatterns = [
    path("priorities/", views.priority_list, name="priorities"),
    path("priorities/sectors/<int:sector_id>/", views.sector_priorities, name="sector_priorities"),
    path("priorities/sectors/<int:sector_id>/panel/", views.sector_panel, name="sector_panel"),
    path("priorities/sectors/<int:sector_id>/propose/", views.propose, name="propose_priorities"),
    path("priorities/<int:priority_id>/", views.priority_detail, name="priority"),
    path("priorities/<int:priority_id>/<slug:action>/", views.priority_step, name="priority_step"),
]
