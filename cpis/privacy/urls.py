from django.urls import path

from .views import audit, requests

app_name = "privacy"
urlpatterns = [
    path("audit/", audit.audit, name="audit"),
    path("audit/export.csv", audit.export, name="audit_export"),
    path("audit/check/", audit.check_chain, name="audit_check"),
    path("requests/", requests.request_list, name="requests"),
    path("requests/new/", requests.request_new, name="request_new"),
    path("requests/<int:request_id>/", requests.request_detail, name="request"),
    path("requests/<int:request_id>/show/", requests.request_show, name="request_show"),
    path("requests/<int:request_id>/export/", requests.request_export, name="request_export"),
    path("requests/<int:request_id>/<slug:action>/", requests.request_act, name="request_act"),
]
