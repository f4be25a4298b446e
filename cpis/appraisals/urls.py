from django.urls import path

from . import views

app_name = "appraisals"
urlpatterns = [
    path("", views.home, name="home"),
    path("new/", views.new, name="new"),
    path("<int:evaluation_id>/", views.detail, name="detail"),
    path("<int:evaluation_id>/<slug:action>/", views.act, name="act"),
    path("promotion/", views.promotion, name="promotion"),
    path("forms/", views.forms_list, name="forms"),
    path("forms/new/", views.form_new, name="form_new"),
    path("forms/<int:form_id>/new-version/", views.version_new, name="version_new"),
    path("versions/<int:version_id>/", views.version, name="version"),
    path("versions/<int:version_id>/criteria/<int:criterion_id>/", views.criterion_edit, name="criterion"),
]
