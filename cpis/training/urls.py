from django.urls import path

from . import views

app_name = "training"
urlpatterns = [
    path("", views.home, name="home"),
    path("trainers/", views.trainers, name="trainers"),
    path("trainers/<int:trainer_id>/", views.trainer_edit, name="trainer"),
    path("programmes/", views.programmes, name="programmes"),
    path("programmes/<int:programme_id>/", views.programme, name="programme"),
    path("courses/", views.courses, name="courses"),
    path("courses/new/", views.course_new, name="course_new"),
    path("courses/<int:course_id>/", views.course, name="course"),
    path("courses/<int:course_id>/edit/", views.course_edit, name="course_edit"),
    path("visits/", views.visits, name="visits"),
    path("visits/<int:visit_id>/", views.visit, name="visit"),
    path("visits/<int:visit_id>/report.pdf", views.visit_report, name="visit_report"),
    path("needs/", views.needs, name="needs"),
    path("needs/<int:need_id>/status/", views.need_status, name="need_status"),
    path("officers/", views.officers, name="officers"),
    path("officers/<int:officer_id>/", views.officer_record, name="officer"),
]
