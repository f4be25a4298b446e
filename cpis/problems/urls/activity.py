"""What was done at a place between two dates (the fragment beside a place's survey scores)."""

from django.urls import path

from ..views import activity as views

urlpatterns = [
    path("activity/<int:unit_id>/", views.sector_activity, name="sector_activity"),
]
