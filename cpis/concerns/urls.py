from django.urls import path

from . import views

app_name = "concerns"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("new/", views.enter, name="enter"),
    path("assign/", views.bulk_assign, name="bulk_assign"),
    path("export.<slug:fmt>", views.export, name="export"),
    path("<int:concern_id>/", views.detail, name="detail"),
    path("<int:concern_id>/contact/", views.show_contact, name="contact"),
    path("<int:concern_id>/photo/", views.photo, name="photo"),
    path("<int:concern_id>/<slug:action>/", views.act, name="act"),
]
