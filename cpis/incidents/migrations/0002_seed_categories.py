from django.db import migrations


def seed(apps, schema_editor):
    from cpis.incidents.taxonomy import seed as seed_categories

    seed_categories(apps.get_model("incidents", "IncidentCategory"))


class Migration(migrations.Migration):
    dependencies = [("incidents", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
