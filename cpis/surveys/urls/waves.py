"""Survey waves: the list, a new wave, a wave's page, its changes and steps,
and the interviewers' sheets of a sector or a station (a page to print, a PDF)."""

from django.urls import path

from ..views import waves as views

urlpatterns = [
    path("waves/", views.wave_list, name="waves"),
    path("waves/new/", views.wave_new, name="wave_new"),
    path("waves/<int:wave_id>/", views.wave_detail, name="wave"),
    path("waves/<int:wave_id>/edit/", views.wave_edit, name="wave_edit"),
    path("waves/<int:wave_id>/sheets/<int:unit_id>/", views.sheets, name="sheets"),
    path("waves/<int:wave_id>/sheets/<int:unit_id>.pdf", views.sheets_pdf, name="sheets_pdf"),
    path("waves/<int:wave_id>/<slug:action>/", views.wave_step, name="wave_step"),
]
