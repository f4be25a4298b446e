"""What the reporting chain puts on "my work today": the sector leader's report
for last month until it is submitted, the report waiting at each reviewer's
stage, and the report returned to its author [2.4.3, 2.4.4]."""

from datetime import timedelta

import pytest
from django.utils import timezone, translation

from cpis.organisation.access import Actor
from cpis.reporting import services, work
from cpis.reporting.models import Stage


def found(actor: Actor) -> dict[str, int]:
    with translation.override("en"):
        return {item.label: item.count for item in work.today(actor)}


@pytest.fixture
def report(tree, actor_for):
    """Last month's report of sector n1a, written by its leader, not yet submitted."""
    last_month = (timezone.localdate().replace(day=1) - timedelta(days=1)).replace(day=1)
    started = services.start_report(actor_for("leader_n1a"), unit=tree.n1a, month=last_month)
    return services.save_report(
        actor_for("leader_n1a"), report=started, issues="Zhurmë pranë shkollës.", actions="Patrullë.",
        needs="", remarks="",
    )  # fmt: skip


def test_the_leader_is_told_of_last_months_report_until_it_is_submitted(report, actor_for):
    leader = actor_for("leader_n1a")
    assert found(leader)["sector report for last month not submitted"] == 1
    services.submit_report(leader, report=report)
    assert found(leader)["sector reports for last month not submitted"] == 0


def test_the_report_waits_for_the_reviewer_of_its_stage_and_returns_to_its_author(report, actor_for):
    services.submit_report(actor_for("leader_n1a"), report=report)
    assert found(actor_for("coordinator_n1"))["report waiting for your review"] == 1
    # Not yet at their stage, or not their place.
    assert found(actor_for("director_north"))["reports waiting for your review"] == 0
    assert found(actor_for("commander_s1"))["reports waiting for your review"] == 0
    report.refresh_from_db()
    services.review_report(
        actor_for("coordinator_n1"), report=report, decision="returned", comment="Shtoni shifrat.",
        version=report.version, stage=Stage.STATION,
    )  # fmt: skip
    assert found(actor_for("coordinator_n1"))["reports waiting for your review"] == 0
    assert found(actor_for("leader_n1a"))["report returned for revision"] == 1


def test_an_officer_and_professional_standards_have_no_report_to_write_or_review(report, actor_for):
    services.submit_report(actor_for("leader_n1a"), report=report)
    assert found(actor_for("officer_n1a")) == {"reports waiting for your review": 0}
    assert found(actor_for("standards")) == {}
