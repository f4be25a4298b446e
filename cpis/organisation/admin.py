from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse

from cpis.accounts.audit import log_personal_data_access
from cpis.core.errors import DomainError

from .access import Actor
from .models import Assignment, KeyLocation, Municipality, Officer, RoleGrant, Settlement, Unit
from .services import create_unit, validate_unit_placement


class UnitAdminForm(forms.ModelForm):
    class Meta:
        model = Unit
        fields = [
            "parent",
            "kind",
            "code",
            "name_sq",
            "name_sr",
            "name_en",
            "municipality",
            "boundary",
            "population",
            "phone",
            "email",
            "address",
            "description",
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.instance.pk is None and "kind" in data and "code" in data:
            try:
                validate_unit_placement(parent=data.get("parent"), kind=data["kind"], code=data["code"])
            except DomainError as exc:
                raise ValidationError(str(exc)) from exc
        return data


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    """Reference data. Placement in the tree (parent, code, kind) is fixed
    once a unit exists, because every role and record below hangs on its
    path."""

    form = UnitAdminForm
    list_display = ["path", "name_sq", "kind", "population"]
    list_filter = ["kind"]
    search_fields = ["path", "name_sq", "name_sr", "name_en"]
    raw_id_fields = ["parent"]

    def get_readonly_fields(self, request: HttpRequest, obj: Unit | None = None) -> list[str]:
        return ["path", "parent", "code", "kind"] if obj is not None else ["path"]

    def save_model(self, request: HttpRequest, obj: Unit, form: Any, change: bool) -> None:
        if change:
            super().save_model(request, obj, form, change)
            return
        try:
            unit = create_unit(
                Actor.system(),
                parent=obj.parent,
                kind=obj.kind,
                code=obj.code,
                name_sq=obj.name_sq,
                name_sr=obj.name_sr,
                name_en=obj.name_en,
                municipality=obj.municipality,
                boundary=obj.boundary,
                population=obj.population,
                phone=obj.phone,
                email=obj.email,
                address=obj.address,
            )
        except DomainError as exc:  # checked in the form already; a race lost
            raise ValidationError(str(exc)) from exc
        obj.pk, obj.path = unit.pk, unit.path


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

    PERSONAL_FIELDS = ("date_of_birth", "personal_phone", "home_address")

    def lookup_allowed(self, lookup: str, value: str, request: HttpRequest | None = None) -> bool:
        # Filtering by a personal field would reveal it without a log row.
        if lookup.split("__", 1)[0] in self.PERSONAL_FIELDS:
            return False
        return super().lookup_allowed(lookup, value, request)

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: Any = None
    ) -> HttpResponse:
        response = super().change_view(request, object_id, form_url, extra_context)
        # The form showed personal data: log the view like any other.
        if request.method == "GET" and response.status_code == 200:
            log_personal_data_access(
                user_id=request.user.pk,
                subject_type="organisation.officer",
                subject_id=object_id,
                request=request,
            )
        return response


@admin.register(Assignment)
class AssignmentAdmin(admin.ModelAdmin):
    list_display = ["officer", "sector", "role", "start_date", "end_date"]
    raw_id_fields = ["officer", "sector"]


@admin.register(RoleGrant)
class RoleGrantAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "unit"]
    list_filter = ["role"]
    raw_id_fields = ["user", "unit"]
