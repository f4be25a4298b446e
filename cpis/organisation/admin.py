from typing import Any

from django.contrib import admin
from django.http import HttpRequest, HttpResponse

from cpis.accounts.services import log_personal_data_access

from .models import Assignment, KeyLocation, Municipality, Officer, RoleGrant, Settlement, Unit


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["path", "name_sq", "kind", "population"]
    list_filter = ["kind"]
    search_fields = ["path", "name_sq", "name_sr", "name_en"]
    readonly_fields = ["path"]
    raw_id_fields = ["parent"]


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ["code", "name_sq", "name_sr", "name_en", "population"]
    search_fields = ["name_sq", "name_sr", "name_en"]


@admin.register(Settlement)
class SettlementAdmin(admin.ModelAdmin):
    list_display = ["name_sq", "name_sr", "municipality", "population"]
    list_filter = ["municipality"]
    search_fields = ["name_sq", "name_sr"]


@admin.register(KeyLocation)
class KeyLocationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "sector"]
    list_filter = ["kind"]
    raw_id_fields = ["sector"]


@admin.register(Officer)
class OfficerAdmin(admin.ModelAdmin):
    list_display = ["last_name", "first_name", "rank", "badge_number", "unit", "is_active"]
    list_filter = ["rank", "is_community_officer", "is_active"]
    search_fields = ["last_name", "first_name", "badge_number"]
    raw_id_fields = ["unit", "user"]

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: Any = None
    ) -> HttpResponse:
        # The form shows personal data: log the view like any other.
        if request.method == "GET":
            log_personal_data_access(
                user_id=request.user.pk,
                subject_type="organisation.officer",
                subject_id=object_id,
                request=request,
            )
        return super().change_view(request, object_id, form_url, extra_context)


@admin.register(Assignment)
class AssignmentAdmin(admin.ModelAdmin):
    list_display = ["officer", "sector", "role", "start_date", "end_date"]
    raw_id_fields = ["officer", "sector"]


@admin.register(RoleGrant)
class RoleGrantAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "unit"]
    list_filter = ["role"]
    raw_id_fields = ["user", "unit"]
