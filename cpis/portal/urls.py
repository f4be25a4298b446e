from django.urls import path

from .views import crawlers, places, solved, submissions

app_name = "portal"
urlpatterns = [
    path("", places.home, name="home"),
    path("sitemap.xml", crawlers.sitemap, name="sitemap"),
    path("robots.txt", crawlers.robots, name="robots"),
    path("sector/", places.find_sector, name="find_sector"),
    path("sector/locate/", places.locate_sector, name="locate_sector"),
    path("places/", places.places, name="places"),
    path("places/<path:slug>/figures.json", places.figures_json, name="figures_json"),
    path("places/<path:slug>/figures.csv", places.figures_csv, name="figures_csv"),
    path("places/<path:slug>/map.csv", places.map_csv, name="map_csv"),
    path("places/<path:slug>/", places.place, name="place"),
    # The sector page's first address, kept working: a permanent redirect to its place.
    path("sectors/<int:sector_id>/", places.sector_redirect, name="sector"),
    path("sectors/<int:sector_id>/solved/feed/", solved.solved_feed, name="sector_solved_feed"),
    path("solved/", solved.solved_list, name="solved"),
    path("solved/feed/", solved.solved_feed, name="solved_feed"),
    path("solved/<int:summary_id>/", solved.solved_problem, name="solved_problem"),
    path("report/", submissions.report, name="report"),
    path("track/", submissions.track, name="track"),
    path("track/<int:concern_id>/", submissions.tracked, name="tracked"),
    path("complaint/", submissions.complaint, name="complaint"),
    path("complaints/", submissions.complaints_info, name="complaints_info"),
    path("track/complaint/<int:complaint_id>/", submissions.tracked_complaint, name="tracked_complaint"),
]
