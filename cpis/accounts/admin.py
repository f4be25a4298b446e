from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnAttestation, WebAuthnCredential

from .models import AccessLogEntry, ApiToken, User
from .services import revoke_api_token


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = (*BaseUserAdmin.fieldsets, (None, {"fields": ("language", "has_second_factor")}))  # type: ignore[misc]
    readonly_fields = ["has_second_factor"]
    list_display = ["username", "email", "first_name", "last_name", "is_staff", "has_second_factor"]


# Second factors are set up by their owner (Sign-in security) and reset with
# `cpis reset_second_factor`; the admin neither shows their secrets nor adds
# one behind the owner's back.
for device_model in (TOTPDevice, StaticDevice, WebAuthnCredential, WebAuthnAttestation):
    if admin.site.is_registered(device_model):
        admin.site.unregister(device_model)


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "prefix", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = ["user", "prefix", "digest", "created_at", "last_used_at", "revoked_at"]
    actions = ["revoke"]

    @admin.action(description=_("Revoke the selected tokens"))
    def revoke(self, request: HttpRequest, queryset: QuerySet[ApiToken]) -> None:
        for token in queryset:
            revoke_api_token(token=token)

    def has_add_permission(self, request: object) -> bool:
        return False  # tokens are issued with `cpis create_api_token`, which shows the secret once


@admin.register(AccessLogEntry)
class AccessLogEntryAdmin(admin.ModelAdmin):
    """Read-only: the access log is evidence and is never edited."""

    list_display = ["at", "user", "subject_type", "subject_id", "source", "client_ip"]
    list_filter = ["subject_type"]
    search_fields = ["subject_id", "user__username"]

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: object, obj: object = None) -> bool:
        return False
