from django.db import migrations


def seed(apps, schema_editor):
    from cpis.concerns.categories import seed as seed_categories

    seed_categories(apps.get_model("concerns", "Category"))


class Migration(migrations.Migration):
    dependencies = [("concerns", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
