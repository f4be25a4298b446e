from django.contrib import admin

from .models import Category


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    """Reference data: the categories citizens choose from, in every language.
    Concerns themselves are handled in the staff pages, which log every view
    of a reporter's contact details."""

    list_display = [
        "code",
        "name_sq",
        "name_sr",
        "name_en",
        "due_days",
        "is_sensitive",
        "is_active",
        "sort_order",
    ]
    list_editable = ["is_active", "sort_order"]
    list_filter = ["is_active", "is_sensitive"]
    search_fields = ["code", "name_sq", "name_sr", "name_en"]
