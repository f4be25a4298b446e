"""The citizens' survey pages, mounted at surveys/."""

from django.urls import path

from .views import public

app_name = "surveys_public"
urlpatterns = [
    path("", public.index, name="index"),
    path("sectors/<int:sector_id>/", public.sector, name="sector"),
    path("<int:wave_id>/sectors/<int:sector_id>/", public.answer, name="answer"),
    path("after/", public.after_concern, name="after_concern"),
    path("after/<str:token>/", public.invitation, name="invitation"),
]
