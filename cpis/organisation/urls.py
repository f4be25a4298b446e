from django.urls import path

from . import views

app_name = "organisation"
urlpatterns = [
    path("", views.home, name="home"),
    path("units/<int:unit_id>/", views.unit_detail, name="unit"),
    path("units/<int:unit_id>/import-sectors/", views.unit_import_sectors, name="unit_import_sectors"),
    path("sectors/<int:sector_id>/", views.sector_detail, name="sector"),
    path("officers/", views.officer_list, name="officers"),
    path("officers/<int:officer_id>/", views.officer_detail, name="officer"),
    path("officers/<int:officer_id>/assign/", views.officer_assign, name="officer_assign"),
]
