"""The questionnaire builder: the list, a new questionnaire, a new draft, a
version with its steps and its preview, a question and an option with theirs."""

from django.urls import path

from ..views import questionnaires as views

urlpatterns = [
    path("questionnaires/", views.questionnaire_list, name="questionnaires"),
    path("questionnaires/new/", views.questionnaire_new, name="questionnaire_new"),
    path("questionnaires/<int:questionnaire_id>/draft/", views.new_draft, name="new_draft"),
    path("questionnaires/versions/<int:version_id>/", views.version, name="version"),
    path("questionnaires/versions/<int:version_id>/preview/", views.preview, name="preview"),
    path("questionnaires/versions/<int:version_id>/<slug:action>/", views.version_step, name="version_step"),
    path("questionnaires/questions/<int:question_id>/", views.question, name="question"),
    path(
        "questionnaires/questions/<int:question_id>/move/<slug:direction>/",
        views.question_move,
        name="question_move",
    ),
    path(
        "questionnaires/questions/<int:question_id>/<slug:action>/", views.question_step, name="question_step"
    ),
    path("questionnaires/options/<int:option_id>/", views.option, name="option"),
    path(
        "questionnaires/options/<int:option_id>/move/<slug:direction>/", views.option_move, name="option_move"
    ),
    path("questionnaires/options/<int:option_id>/<slug:action>/", views.option_step, name="option_step"),
]
