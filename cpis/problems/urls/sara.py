"""The Analysis and Response tabs of a problem, and the actions across places."""

from django.urls import path

from ..views import analysis, response

urlpatterns = [
    path("<int:problem_id>/analysis/", analysis.analysis, name="analysis"),
    path("<int:problem_id>/analysis/triangle/", analysis.triangle_add, name="triangle_add"),
    path(
        "<int:problem_id>/analysis/triangle/<int:record_id>/",
        analysis.triangle_change,
        name="triangle_change",
    ),
    path(
        "<int:problem_id>/analysis/triangle/<int:record_id>/delete/",
        analysis.triangle_delete,
        name="triangle_delete",
    ),
    path("<int:problem_id>/analysis/routine-activity/", analysis.routine_activity, name="routine_activity"),
    path("<int:problem_id>/analysis/hypotheses/", analysis.hypothesis_add, name="hypothesis_add"),
    path(
        "<int:problem_id>/analysis/hypotheses/<int:record_id>/",
        analysis.hypothesis_test,
        name="hypothesis_test",
    ),
    path("<int:problem_id>/response/", response.response, name="response"),
    path("<int:problem_id>/response/actions/", response.action_add, name="action_add"),
    path("<int:problem_id>/response/actions/<int:record_id>/", response.action_change, name="action_change"),
    path("<int:problem_id>/response/actions/<int:record_id>/done/", response.action_done, name="action_done"),
    path("actions/", response.action_list, name="actions"),
]
