from django.urls import path

from . import views

app_name = "media"
urlpatterns = [
    path("", views.item_list, name="list"),
    path("coverage/", views.coverage, name="coverage"),
    path("log/", views.log, name="log"),
    path("outlets/", views.outlets, name="outlets"),
    path("import/", views.import_upload, name="import"),
    path("import/<int:staged_id>/", views.import_staged, name="import_staged"),
    path("<int:item_id>/", views.detail, name="detail"),
    path("<int:item_id>/edit/", views.edit, name="edit"),
    path("<int:item_id>/delete/", views.delete, name="delete"),
]
