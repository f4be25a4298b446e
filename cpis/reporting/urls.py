from django.urls import path

from . import views

app_name = "reporting"
urlpatterns = [
    path("", views.home, name="home"),
    path("rollup/<int:unit_id>/", views.rollup, name="rollup"),
    path("sector/<int:unit_id>/<int:year>-<int:month>/", views.sector_month, name="sector_month"),
    path("<int:report_id>/", views.detail, name="detail"),
    path("<int:report_id>/review/", views.review, name="review"),
    path("<int:report_id>/report.pdf", views.pdf, name="pdf"),
]
