from django.urls import path

from . import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("sector/", views.find_sector, name="find_sector"),
    path("sector/locate/", views.locate_sector, name="locate_sector"),
    path("sectors/<int:sector_id>/", views.sector_detail, name="sector"),
    path("sectors/<int:sector_id>/solved/feed/", views.solved_feed, name="sector_solved_feed"),
    path("solved/", views.solved_list, name="solved"),
    path("solved/feed/", views.solved_feed, name="solved_feed"),
    path("solved/<int:summary_id>/", views.solved_problem, name="solved_problem"),
    path("report/", views.report, name="report"),
    path("track/", views.track, name="track"),
    path("track/<int:concern_id>/", views.tracked, name="tracked"),
    path("complaint/", views.complaint, name="complaint"),
    path("track/complaint/<int:complaint_id>/", views.tracked_complaint, name="tracked_complaint"),
]
