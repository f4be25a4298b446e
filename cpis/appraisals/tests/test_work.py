"""What the evaluations ask of each person on the staff home."""

import pytest
from django.utils import translation

from cpis.appraisals import services, work
from cpis.appraisals.tests.factories import officer_at, submitted
from cpis.core import registry


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def _counts(actor):
    return {item.label: item.count for item in work.today(actor) if item.count}


def test_each_step_waits_for_its_person(tree, persona, actor_for):
    persona("director_north")
    commander = actor_for("commander_n1")
    officer = officer_at(tree.n1a, persona("officer_n1a"))
    draft_for = officer_at(tree.n1b, last_name="Berisha")
    services.ensure_default_form()
    from datetime import date

    services.start_evaluation(
        commander, officer=draft_for, period_start=date(2025, 1, 1), period_end=date(2025, 12, 31)
    )
    evaluation = submitted(commander, officer)
    assert _counts(commander) == {"performance evaluation waiting for your rating": 1}
    assert _counts(actor_for("officer_n1a")) == {
        "performance evaluation of yours waiting for your acknowledgement": 1
    }
    services.appeal_evaluation(actor_for("officer_n1a"), evaluation=evaluation, reasons="Unfair.")
    assert _counts(actor_for("director_north")) == {
        "appeal against a performance evaluation waiting for your decision": 1
    }
    assert _counts(actor_for("officer_n1a")) == {}
    assert "cpis.appraisals" in [c.name for c in registry.cpis_apps() if c.work_today]
