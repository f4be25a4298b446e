from django.urls import path

from .views import public

app_name = "forums_public"
urlpatterns = [
    path("sectors/<int:sector_id>/", public.public_sector, name="sector"),
    path("sectors/<int:sector_id>/meetings.ics", public.public_calendar, name="calendar"),
    path("minutes/<int:meeting_id>/", public.public_minutes, name="minutes"),
    path("news/<int:release_id>/", public.public_release, name="release"),
]
