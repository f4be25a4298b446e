from django.db import migrations


def seed(apps, schema_editor):
    from cpis.concerns.categories import CATEGORIES

    Category = apps.get_model("concerns", "Category")
    for order, (code, sq, sr, en, days, sensitive, (dsq, dsr, den)) in enumerate(CATEGORIES, start=1):
        Category.objects.update_or_create(
            code=code,
            defaults={
                "name_sq": sq, "name_sr": sr, "name_en": en, "due_days": days, "is_sensitive": sensitive,
                "description_sq": dsq, "description_sr": dsr, "description_en": den, "sort_order": order * 10,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("concerns", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
