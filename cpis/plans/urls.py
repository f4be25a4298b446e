from django.urls import path

from . import views

app_name = "plans"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("import/", views.import_plan, name="import"),
    path("<int:plan_id>/", views.plan_dashboard, name="plan"),
    path("<int:plan_id>/activities/<str:code>/", views.activity_detail, name="activity"),
    path("<int:plan_id>/reviews/", views.reviews, name="reviews"),
    path("<int:plan_id>/deadlines/", views.deadlines, name="deadlines"),
    path("<int:plan_id>/indicators/", views.indicators, name="indicators"),
    path("<int:plan_id>/evaluations/", views.evaluations, name="evaluations"),
    path("<int:plan_id>/export.xlsx", views.export_plan, name="export"),
    path("<int:plan_id>/informed/", views.acknowledge, name="acknowledge"),
    path("updates/<int:update_id>/review/", views.review_update, name="review"),
    path("evidence/<int:evidence_id>/", views.evidence_file, name="evidence"),
    path("evaluations/<int:evaluation_id>/", views.evaluation_detail, name="evaluation"),
    path("evaluations/<int:evaluation_id>/report.pdf", views.evaluation_pdf, name="evaluation_pdf"),
    path("evaluations/<int:evaluation_id>/report.xlsx", views.evaluation_xlsx, name="evaluation_xlsx"),
]
