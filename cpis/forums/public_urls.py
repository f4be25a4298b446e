from django.urls import path

from . import views

app_name = "forums_public"
urlpatterns = [
    path("sectors/<int:sector_id>/", views.public_sector, name="sector"),
    path("sectors/<int:sector_id>/meetings.ics", views.public_calendar, name="calendar"),
    path("minutes/<int:meeting_id>/", views.public_minutes, name="minutes"),
    path("news/<int:release_id>/", views.public_release, name="release"),
]
