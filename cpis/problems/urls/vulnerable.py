"""The register of vulnerable persons and groups, under vulnerable/."""

from django.urls import path

from ..views import vulnerable as views

urlpatterns = [
    path("vulnerable/", views.entry_list, name="vulnerable_list"),
    path("vulnerable/export.<str:fmt>", views.entry_export, name="vulnerable_export"),
    path("vulnerable/new/", views.entry_record, name="vulnerable_record"),
    path("vulnerable/<int:entry_id>/", views.entry_detail, name="vulnerable_detail"),
    path("vulnerable/<int:entry_id>/reveal/", views.entry_reveal, name="vulnerable_reveal"),
    path("vulnerable/<int:entry_id>/edit/", views.entry_edit, name="vulnerable_edit"),
    path("vulnerable/<int:entry_id>/review/", views.entry_review, name="vulnerable_review"),
    path("vulnerable/<int:entry_id>/appoint/", views.entry_appoint, name="vulnerable_appoint"),
]
