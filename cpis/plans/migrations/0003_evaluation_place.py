"""An evaluation has a place: the directorate (the national evaluation) or a
region. Every evaluation frozen before this was national, so each gets the
root unit; a plan is then evaluated once per place and half-year."""

import django.db.models.deletion
from django.db import migrations, models


def national(apps, schema_editor):
    Evaluation = apps.get_model("plans", "Evaluation")
    Unit = apps.get_model("organisation", "Unit")
    if not Evaluation.objects.exists():
        return
    root = Unit.objects.filter(parent__isnull=True).order_by("path").first()
    if root is None:
        raise RuntimeError("Evaluations exist but the unit tree has no root to hold them.")
    Evaluation.objects.update(unit=root, unit_path=root.path)


class Migration(migrations.Migration):
    dependencies = [
        ("organisation", "0003_created_at_default"),
        ("plans", "0002_survey_indicators"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="evaluation", name="evaluation_period_unique"),
        migrations.AddField(
            model_name="evaluation",
            name="unit",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="organisation.unit",
                verbose_name="place evaluated",
            ),
        ),
        migrations.AddField(
            model_name="evaluation",
            name="unit_path",
            field=models.CharField(db_index=True, default="", editable=False, max_length=255),
            preserve_default=False,
        ),
        migrations.RunPython(national, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="evaluation",
            name="unit",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="organisation.unit",
                verbose_name="place evaluated",
            ),
        ),
        migrations.AlterModelOptions(
            name="evaluation",
            options={
                "ordering": ["plan", "-period_start", "unit_path"],
                "verbose_name": "evaluation",
                "verbose_name_plural": "evaluations",
            },
        ),
        migrations.AddConstraint(
            model_name="evaluation",
            constraint=models.UniqueConstraint(
                fields=("plan", "unit", "period_start"), name="evaluation_place_period_unique"
            ),
        ),
    ]
