from django.db import migrations
from django.utils import timezone


def seed(apps, schema_editor):
    from cpis.surveys.spec import seed as seed_questionnaires

    seed_questionnaires(
        apps.get_model("surveys", "Questionnaire"),
        apps.get_model("surveys", "QuestionnaireVersion"),
        apps.get_model("surveys", "Question"),
        apps.get_model("surveys", "Option"),
        now=timezone.now(),
    )


class Migration(migrations.Migration):
    dependencies = [("surveys", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
