from django.urls import path

from . import views

app_name = "outreach"
urlpatterns = [
    path("", views.activity_list, name="list"),
    path("log/", views.log, name="log"),
    path("export.<str:fmt>", views.export, name="export"),
    path("<int:activity_id>/", views.detail, name="detail"),
    path("<int:activity_id>/edit/", views.edit, name="edit"),
    path("<int:activity_id>/delete/", views.delete, name="delete"),
]
