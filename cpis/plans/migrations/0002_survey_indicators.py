"""The perception-survey indicators added to the 2012–2016 plan [Evaluation 4]
(data/action_plan_2012_2016.json: 2.3.1, 2.4.1, 2.4.7, 2.4.13), put into a plan
loaded before they were: each indicator the data file has with a `surveys.`
source and the activity lacks, the activity's note and the plan's note that
say they are added. Loading the plan afresh needs none of this; running it
twice changes nothing."""

from django.db import migrations

PREFIX = "surveys."


def add_survey_indicators(apps, schema_editor):
    from cpis.plans.spec import load_data_file

    Plan = apps.get_model("plans", "Plan")
    Activity = apps.get_model("plans", "Activity")
    Indicator = apps.get_model("plans", "Indicator")
    spec = load_data_file()
    plan = Plan.objects.filter(code=spec.code).first()
    if plan is None:
        return
    for item in spec.activities():
        wanted = [i for i in item.indicators if i.source.startswith(PREFIX)]
        activity = Activity.objects.filter(plan=plan, code=item.code).first() if wanted else None
        if activity is None:
            continue
        existing = Indicator.objects.filter(activity=activity)
        have = set(existing.values_list("source", flat=True))
        position = max(existing.values_list("position", flat=True), default=-1) + 1
        for indicator in wanted:
            if indicator.source in have:
                continue
            Indicator.objects.create(
                activity=activity,
                position=position,
                unit=indicator.unit,
                target=indicator.target,
                source=indicator.source,
                **{f"text_{lang}": indicator.texts.get(lang, "") for lang in ("en", "sq", "sr")},
            )
            position += 1
        if item.note and item.note != activity.note and item.note.startswith(activity.note):
            activity.note = item.note
            activity.save(update_fields=["note"])
    added = [n for n in spec.notes if "Evaluation 4" in n and n not in plan.notes]
    if added:
        plan.notes = [*plan.notes, *added]
        plan.save(update_fields=["notes"])


def remove_survey_indicators(apps, schema_editor):
    Indicator = apps.get_model("plans", "Indicator")
    Indicator.objects.filter(activity__plan__code="cp-2012-2016", source__startswith=PREFIX).delete()


class Migration(migrations.Migration):
    dependencies = [("plans", "0001_initial")]
    operations = [migrations.RunPython(add_survey_indicators, remove_survey_indicators)]
