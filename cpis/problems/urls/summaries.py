"""A problem's public summary tab: write, submit, review, withdraw."""

from django.urls import path

from ..views import summaries as views

urlpatterns = [
    path("<int:problem_id>/summary/", views.summary, name="summary"),
    path("<int:problem_id>/summary/<slug:action>/", views.summary_step, name="summary_step"),
]
