from django.urls import path

from . import views

app_name = "complaints"
urlpatterns = [
    path("", views.complaint_list, name="list"),
    path("<int:complaint_id>/", views.complaint_detail, name="detail"),
    path("<int:complaint_id>/contact/", views.complaint_contact, name="contact"),
    path("<int:complaint_id>/<slug:action>/", views.complaint_act, name="act"),
]
