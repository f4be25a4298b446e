"""The curated 2012–2016 plan against its source, and loading it."""

import re
from datetime import date

import pytest
from django.core.management import call_command

from cpis.plans.models import Activity, DueRule, Goal, Indicator, Objective, Plan, ResponsibleKind
from cpis.plans.spec import load_data_file

CYRILLIC = re.compile(r"[\u0400-\u04FF]")


@pytest.fixture(scope="module")
def spec():
    return load_data_file()


def _squash(text: str) -> str:
    return re.sub(
        r"\s+", " ", re.sub(r"</?p>|COMMUNITY POLICING STRATEGY AND ACTION PLAN 2012 - 2016", " ", text)
    )


def test_the_plan_has_3_goals_13_objectives_and_72_activities(spec):
    assert [g.number for g in spec.goals] == ["1", "2", "3"]
    assert [o.number for g in spec.goals for o in g.objectives] == [
        "1.1",
        "1.2",
        "1.3",
        "1.4",
        "2.1",
        "2.2",
        "2.3",
        "2.4",
        "2.5",
        "3.1",
        "3.2",
        "3.3",
        "3.4",
    ]
    codes = [a.code for a in spec.activities()]
    assert len(codes) == 72
    assert len(set(codes)) == 72


def test_the_source_slips_are_resolved_and_recorded(spec):
    by_code = {a.code: a for a in spec.activities()}
    assert by_code["2.3.9"].code_as_printed == "2.3.8"
    assert "museum" in by_code["2.3.9"].texts["en"]
    assert by_code["2.3.9"].budget == ["unknown"]
    assert by_code["2.3.9"].budget_as_written == "?"
    assert by_code["2.4.10"].code_as_printed == "4.2.10"
    assert by_code["2.3.2"].texts["en"].startswith("Presentation of the opportunities")
    assert by_code["2.3.5"].texts["en"].startswith("Information of citizens in their native language")
    assert by_code["2.1.4"].note
    assert len(spec.notes) >= 5


def test_every_activity_text_is_the_sources_own_words(spec, shared_file):
    source = _squash(
        shared_file("mission", "strategy-and-action-plan-2012-2016.txt").read_text(encoding="utf-8")
    )
    for activity in spec.activities():
        words = activity.texts["en"].split()[:6]
        # Cells break across pages, where other columns' text comes between the words.
        pattern = r"\b" + r".{0,400}?".join(re.escape(w) for w in words)
        assert re.search(pattern, source), activity.code


def test_a_sample_of_activities_field_by_field(spec):
    by_code = {a.code: a for a in spec.activities()}
    first = by_code["1.1.1"]
    assert first.texts["en"].startswith("The appointment of the coordinator and working group")
    assert first.responsible_as_written == "General Director"
    assert [(r.kind, r.level) for r in first.responsibles] == [("level", "directorate")]
    assert first.due_rule == DueRule.AFTER_APPROVAL
    assert first.due_date == date(2012, 3, 29)
    assert first.budget == ["administrative"]
    assert [i.texts["en"] for i in first.indicators] == ["Appointment decision"]

    training = by_code["1.3.3"]
    kinds = {r.names["en"]: r.kind for r in training.responsibles}
    assert kinds["OSCE"] == ResponsibleKind.EXTERNAL
    assert kinds["ICITAP"] == ResponsibleKind.EXTERNAL
    assert training.budget == ["administrative", "donations"]
    assert training.due_date == date(2012, 6, 30)

    assert by_code["1.1.3"].due_date == date(2012, 11, 30)  # "No later than November 2012"
    assert by_code["1.4.3"].due_date == date(2012, 5, 13)  # 45 days after 29 March 2012
    assert by_code["2.1.3"].due_date == date(2012, 6, 29)  # 3 months after approval
    assert by_code["2.3.7"].due_rule == DueRule.POLICE_DAY
    assert by_code["2.3.7"].due_date is None
    assert by_code["3.4.3"].due_rule == DueRule.ONGOING

    assert [i.source for i in by_code["2.3.6"].indicators] == ["concerns.outcome_returned"]
    assert [i.unit for i in by_code["1.4.3"].indicators] == ["percent"]
    assert len(by_code["2.4.1"].indicators) == 4  # three printed, one added from the surveys
    assert by_code["2.4.1"].indicators[3].source == "surveys.safe_dark"


def test_every_text_has_albanian_and_cyrillic_serbian(spec):
    items = []
    for goal in spec.goals:
        items.append((goal.number, goal.texts))
        for objective in goal.objectives:
            items.append((objective.number, objective.texts))
            for a in objective.activities:
                items += [(a.code, a.texts), (a.code, a.time_limits)]
                items += [(a.code, r.names) for r in a.responsibles]
                items += [(a.code, i.texts) for i in a.indicators]
    for where, texts in items:
        assert texts["sq"], where
        assert CYRILLIC.search(texts["sr"]), where


def test_load_action_plan_loads_once(tree):
    call_command("load_action_plan")
    call_command("load_action_plan")
    plan = Plan.objects.get()
    assert Goal.objects.filter(plan=plan).count() == 3
    assert Objective.objects.filter(goal__plan=plan).count() == 13
    assert Activity.objects.filter(plan=plan).count() == 72
    assert Indicator.objects.filter(activity__plan=plan).count() == sum(
        len(a.indicators) for a in load_data_file().activities()
    )
    museum = Activity.objects.get(plan=plan, code="2.3.9")
    assert museum.get_due_rule_display()
    assert museum.due_date == date(2015, 12, 31)
    assert plan.approved_on == date(2012, 3, 29)
