"""Reviewing held responses and free text; importing paper questionnaires."""

from django.urls import path

from ..views import review

urlpatterns = [
    path("review/", review.review_list, name="review"),
    path("review/<int:response_id>/", review.response_detail, name="response"),
    path("review/<int:response_id>/<str:action>/", review.response_step, name="response_step"),
    path("paper/", review.paper, name="paper"),
    path("paper/<int:wave_id>/template.xlsx", review.paper_template, name="paper_template"),
]
