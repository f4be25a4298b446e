from django.urls import path

from . import views

app_name = "people"
urlpatterns = [
    path("", views.home, name="home"),
    path("officers/<int:officer_id>/record/", views.officer_record, name="record"),
    path("officers/<int:officer_id>/background/", views.background, name="background"),
    path("representation/", views.representation, name="representation"),
    path("population/", views.population, name="population"),
]
