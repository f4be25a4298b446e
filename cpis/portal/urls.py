from django.urls import path

from . import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("sitemap.xml", views.sitemap, name="sitemap"),
    path("robots.txt", views.robots, name="robots"),
    path("sector/", views.find_sector, name="find_sector"),
    path("sector/locate/", views.locate_sector, name="locate_sector"),
    path("places/", views.places, name="places"),
    path("places/<path:slug>/figures.json", views.figures_json, name="figures_json"),
    path("places/<path:slug>/figures.csv", views.figures_csv, name="figures_csv"),
    path("places/<path:slug>/map.csv", views.map_csv, name="map_csv"),
    path("places/<path:slug>/", views.place, name="place"),
    # The sector page's first address, kept working: a permanent redirect to its place.
    path("sectors/<int:sector_id>/", views.sector_redirect, name="sector"),
    path("sectors/<int:sector_id>/solved/feed/", views.solved_feed, name="sector_solved_feed"),
    path("solved/", views.solved_list, name="solved"),
    path("solved/feed/", views.solved_feed, name="solved_feed"),
    path("solved/<int:summary_id>/", views.solved_problem, name="solved_problem"),
    path("report/", views.report, name="report"),
    path("track/", views.track, name="track"),
    path("track/<int:concern_id>/", views.tracked, name="tracked"),
    path("complaint/", views.complaint, name="complaint"),
    path("complaints/", views.complaints_info, name="complaints_info"),
    path("track/complaint/<int:complaint_id>/", views.tracked_complaint, name="tracked_complaint"),
]
