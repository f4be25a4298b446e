from django.urls import path

from . import views

app_name = "partners"
urlpatterns = [
    path("", views.partner_list, name="list"),
    path("new/", views.partner_create, name="create"),
    path("export.<str:fmt>", views.partner_export, name="export"),
    path("<int:partner_id>/", views.partner_detail, name="partner"),
    path("<int:partner_id>/edit/", views.partner_edit, name="partner_edit"),
    path("<int:partner_id>/contacts/new/", views.contact_create, name="contact_create"),
    path("contacts/<int:contact_id>/edit/", views.contact_edit, name="contact_edit"),
    path("contacts/<int:contact_id>/delete/", views.contact_delete, name="contact_delete"),
    path("agreements/", views.agreement_list, name="agreements"),
    path("agreements/new/", views.agreement_create, name="agreement_create"),
    path("agreements/<int:agreement_id>/", views.agreement_detail, name="agreement"),
    path("agreements/<int:agreement_id>/edit/", views.agreement_edit, name="agreement_edit"),
    path("agreements/<int:agreement_id>/upload/", views.agreement_upload, name="agreement_upload"),
    path("agreements/<int:agreement_id>/document.pdf", views.agreement_document, name="agreement_document"),
    path("groups/", views.group_list, name="groups"),
    path("groups/new/", views.group_create, name="group_create"),
    path("groups/<int:group_id>/", views.group_detail, name="group"),
    path("groups/<int:group_id>/edit/", views.group_edit, name="group_edit"),
    path("volunteers/", views.volunteer_list, name="volunteers"),
    path("volunteers/new/", views.volunteer_create, name="volunteer_create"),
    path("volunteers/<int:volunteer_id>/", views.volunteer_detail, name="volunteer"),
    path("volunteers/<int:volunteer_id>/edit/", views.volunteer_edit, name="volunteer_edit"),
    path("volunteers/<int:volunteer_id>/hours/", views.hours_create, name="hours_create"),
    path("hours/", views.hours_overview, name="hours"),
    path("hours/<int:entry_id>/delete/", views.hours_delete, name="hours_delete"),
    path("hours/export.<str:fmt>", views.hours_export, name="hours_export"),
    path("recognitions/", views.recognition_list, name="recognitions"),
    path("recognitions/new/", views.recognition_create, name="recognition_create"),
    path("recognitions/<int:recognition_id>/edit/", views.recognition_edit, name="recognition_edit"),
]
