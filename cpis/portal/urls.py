from django.urls import path

from . import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("sector/", views.find_sector, name="find_sector"),
    path("sector/locate/", views.locate_sector, name="locate_sector"),
    path("sectors/<int:sector_id>/", views.sector_detail, name="sector"),
    path("report/", views.report, name="report"),
    path("track/", views.track, name="track"),
    path("track/<int:concern_id>/", views.tracked, name="tracked"),
    path("complaint/", views.complaint, name="complaint"),
    path("track/complaint/<int:complaint_id>/", views.tracked_complaint, name="tracked_complaint"),
]
