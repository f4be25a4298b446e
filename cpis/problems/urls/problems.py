"""The staff workspace: the list and its export, a problem opened by hand,
its overview with the steps on it, and its change form."""

from django.urls import path

from ..views import problems

urlpatterns = [
    path("", problems.problem_list, name="list"),
    path("export.<str:fmt>", problems.export, name="export"),
    path("new/", problems.problem_new, name="new"),
    path("<int:problem_id>/", problems.problem_detail, name="detail"),
    path("<int:problem_id>/edit/", problems.problem_edit, name="edit"),
    path("<int:problem_id>/team/contacts/", problems.team_contacts, name="team_contacts"),
    path("<int:problem_id>/overview/<str:action>/", problems.problem_act, name="overview_act"),
]
