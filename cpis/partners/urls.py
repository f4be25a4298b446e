from django.urls import path

from .views import agreements, contacts, groups, hours, partners, recognitions, volunteers

app_name = "partners"
urlpatterns = [
    path("", partners.partner_list, name="list"),
    path("new/", partners.partner_create, name="create"),
    path("export.<str:fmt>", partners.partner_export, name="export"),
    path("<int:partner_id>/", partners.partner_detail, name="partner"),
    path("<int:partner_id>/edit/", partners.partner_edit, name="partner_edit"),
    path("<int:partner_id>/contacts/new/", contacts.contact_create, name="contact_create"),
    path("contacts/<int:contact_id>/edit/", contacts.contact_edit, name="contact_edit"),
    path("contacts/<int:contact_id>/delete/", contacts.contact_delete, name="contact_delete"),
    path("agreements/", agreements.agreement_list, name="agreements"),
    path("agreements/new/", agreements.agreement_create, name="agreement_create"),
    path("agreements/<int:agreement_id>/", agreements.agreement_detail, name="agreement"),
    path("agreements/<int:agreement_id>/edit/", agreements.agreement_edit, name="agreement_edit"),
    path("agreements/<int:agreement_id>/upload/", agreements.agreement_upload, name="agreement_upload"),
    path(
        "agreements/<int:agreement_id>/document.pdf", agreements.agreement_document, name="agreement_document"
    ),
    path("groups/", groups.group_list, name="groups"),
    path("groups/new/", groups.group_create, name="group_create"),
    path("groups/<int:group_id>/", groups.group_detail, name="group"),
    path("groups/<int:group_id>/edit/", groups.group_edit, name="group_edit"),
    path("volunteers/", volunteers.volunteer_list, name="volunteers"),
    path("volunteers/new/", volunteers.volunteer_create, name="volunteer_create"),
    path("volunteers/<int:volunteer_id>/", volunteers.volunteer_detail, name="volunteer"),
    path("volunteers/<int:volunteer_id>/edit/", volunteers.volunteer_edit, name="volunteer_edit"),
    path("volunteers/<int:volunteer_id>/hours/", hours.hours_create, name="hours_create"),
    path("hours/", hours.hours_overview, name="hours"),
    path("hours/<int:entry_id>/delete/", hours.hours_delete, name="hours_delete"),
    path("hours/export.<str:fmt>", hours.hours_export, name="hours_export"),
    path("recognitions/", recognitions.recognition_list, name="recognitions"),
    path("recognitions/new/", recognitions.recognition_create, name="recognition_create"),
    path("recognitions/<int:recognition_id>/edit/", recognitions.recognition_edit, name="recognition_edit"),
]
