"""The media topics the log starts with."""

from django.db import migrations


def seed(apps, schema_editor):
    from cpis.media.categories import seed as seed_topics

    seed_topics(apps.get_model("media", "Topic"))


class Migration(migrations.Migration):
    dependencies = [("media", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
