from django.urls import path

from .views import audit

app_name = "privacy"
urlpatterns = [
    path("audit/", audit.audit, name="audit"),
    path("audit/export.csv", audit.export, name="audit_export"),
    path("audit/check/", audit.check_chain, name="audit_check"),
]
