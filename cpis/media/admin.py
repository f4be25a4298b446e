from django.contrib import admin

from .models import Outlet, Topic


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    """Reference data: the topics a media report is filed under, in every language.
    Reports themselves are logged on the staff pages, where the place rules hold."""

    list_display = ["code", "name_sq", "name_sr", "name_en", "is_active"]
    list_editable = ["is_active"]
    list_filter = ["is_active"]
    search_fields = ["code", "name_sq", "name_sr", "name_en"]


@admin.register(Outlet)
class OutletAdmin(admin.ModelAdmin):
    """The outlets' list (also kept on the staff page media/outlets/); taking one
    out of use keeps its reports."""

    list_display = ["name", "kind", "language", "reach", "is_active"]
    list_editable = ["is_active"]
    list_filter = ["kind", "language", "is_active"]
    search_fields = ["name"]
