from django.urls import path

from . import views

app_name = "analytics"
urlpatterns = [
    path("", views.trends, name="trends"),
    path("hotspots/", views.hotspots, name="hotspots"),
    path("hotspots.geojson", views.hotspots_geojson, name="hotspots_geojson"),
    path("density.json", views.density, name="density"),
    path("near-repeat/", views.near_repeat, name="near_repeat"),
    path("runs/<int:run_id>/", views.run, name="run"),
    path("runs/<int:run_id>.csv", views.run_csv, name="run_csv"),
    path("clusters/", views.clusters, name="clusters"),
    path("clusters.geojson", views.clusters_geojson, name="clusters_geojson"),
    path("clusters/<int:cluster_id>/review/", views.cluster_review, name="cluster_review"),
    path("deployment/", views.deployment, name="deployment"),
    path("service/", views.service, name="service"),
    path("sectors/<int:sector_id>/priorities/", views.sector_priorities, name="sector_priorities"),
    path("near-repeat/file/", views.near_repeat_file, name="near_repeat_file"),
]
