"""The reporting chain: start, write, submit, review up the chain, return
and resubmit, with the whole history kept [2.4.3, 2.4.4]."""

import threading
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import Http404
from django.utils import timezone, translation

from cpis.accounts.tests.factories import UserFactory
from cpis.organisation.access import Actor
from cpis.organisation.models import Role
from cpis.organisation.tests.factories import RoleGrantFactory
from cpis.reporting import selectors, services
from cpis.reporting.models import Report, Review, Stage, Status

MONTH = date(2025, 3, 1)


@pytest.fixture
def chain(tree, persona):
    """The chain above sector n1a: its leader, the station coordinator, the
    region's coordinator and director, and the directorate."""
    regional = UserFactory(username="regional_coordinator_north")
    RoleGrantFactory(user=regional, unit=tree.north, role=Role.REGIONAL_COORDINATOR)
    return {
        "author": Actor.for_user(persona("leader_n1a")),
        Stage.STATION: Actor.for_user(persona("coordinator_n1")),
        Stage.REGIONAL_COORDINATOR: Actor.for_user(regional),
        Stage.REGIONAL_DIRECTOR: Actor.for_user(persona("director_north")),
        Stage.DIRECTORATE: Actor.for_user(persona("directorate")),
    }


def _review(actor, report, decision="approved", comment="", *, version=1, stage=None):
    """Decide on a report at its own stage unless another is given."""
    return services.review_report(
        actor, report=report, decision=decision, comment=comment, version=version, stage=stage or report.stage
    )


def _written(chain, tree):
    report = services.start_report(chain["author"], unit=tree.n1a, month=MONTH)
    return services.save_report(
        chain["author"], report=report, issues="Zhurmë pranë shkollës.", actions="Patrullë çdo mbrëmje.",
        needs="", remarks="",
    )  # fmt: skip


def test_a_report_climbs_the_whole_chain(chain, tree):
    report = services.submit_report(chain["author"], report=_written(chain, tree))
    assert (report.status, report.stage, report.version) == (Status.SUBMITTED, Stage.STATION, 1)
    for stage in (Stage.STATION, Stage.REGIONAL_COORDINATOR, Stage.REGIONAL_DIRECTOR, Stage.DIRECTORATE):
        assert report.stage == stage
        report = _review(chain[stage], report)
    assert (report.status, report.stage) == (Status.APPROVED, Stage.DONE)
    assert report.reviews.count() == 4


def test_a_returned_report_goes_back_is_revised_and_keeps_its_history(chain, tree):
    report = services.submit_report(chain["author"], report=_written(chain, tree))
    with pytest.raises(services.ReasonRequired):
        _review(chain[Stage.STATION], report, "returned")
    report = _review(chain[Stage.STATION], report, "returned", "Shtoni takimet me KLSP.")
    assert (report.status, report.stage) == (Status.RETURNED, Stage.AUTHOR)
    report = services.save_report(
        chain["author"], report=report, issues=report.issues, actions="Patrullë; takim me KLSP më 12 mars.",
        needs="", remarks="",
    )  # fmt: skip
    report = services.submit_report(chain["author"], report=report)
    assert (report.version, report.stage) == (2, Stage.STATION)
    report = _review(chain[Stage.STATION], report, version=2)
    assert report.stage == Stage.REGIONAL_COORDINATOR
    assert [r.version for r in report.revisions.all()] == [1, 2]
    assert "KLSP" not in report.revisions.get(version=1).content["actions"]
    assert list(report.reviews.values_list("version", "decision")) == [(1, "returned"), (2, "approved")]


def test_only_the_role_of_the_stage_may_decide(chain, tree, actor_for):
    report = services.submit_report(chain["author"], report=_written(chain, tree))
    with pytest.raises(services.NotYourStage):
        _review(chain[Stage.DIRECTORATE], report)
    with pytest.raises(Http404):  # another region's director cannot even see it
        _review(actor_for("commander_s1"), report, stage="station")
    with pytest.raises(services.NotEditable):
        services.save_report(chain["author"], report=report, issues="x", actions="", needs="", remarks="")


def test_a_stale_version_cannot_be_decided(chain, tree):
    report = services.submit_report(chain["author"], report=_written(chain, tree))
    _review(chain[Stage.STATION], report)
    with pytest.raises(services.AlreadyDecided):
        _review(chain[Stage.STATION], report, "returned", "x", stage=Stage.STATION)


def test_a_decision_recorded_meanwhile_wins_over_a_second_one(chain, tree):
    """The database's own guard (one review per version and stage) when a
    second reviewer's check ran before the first decision was written."""
    report = services.submit_report(chain["author"], report=_written(chain, tree))
    Review.objects.create(report=report, version=1, stage=Stage.STATION, decision="approved")
    with pytest.raises(services.AlreadyDecided):
        _review(chain[Stage.STATION], report, "returned", "x", stage=Stage.STATION)
    report.refresh_from_db()
    assert report.status == Status.SUBMITTED


# The in-memory SQLite test database locks whole tables; PostgreSQL runs this in CI.
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_reviewers_at_once_give_one_decision(chain, tree):
    second = UserFactory(username="second_coordinator_n1")
    RoleGrantFactory(user=second, unit=tree.n1, role=Role.STATION_COORDINATOR)
    report = services.submit_report(chain["author"], report=_written(chain, tree))
    reviewers = [chain[Stage.STATION], Actor.for_user(second)]
    outcomes: list[str] = []
    barrier = threading.Barrier(2)

    def decide(actor: Actor, decision: str) -> None:
        barrier.wait()
        try:
            _review(actor, report, decision, "x")
            outcomes.append("ok")
        except services.AlreadyDecided:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [
        threading.Thread(target=decide, args=(a, d))
        for a, d in zip(reviewers, ["approved", "returned"], strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["ok", "refused"]
    assert Review.objects.filter(report=report).count() == 1


def test_a_sector_officer_cannot_write_and_sectors_only(chain, tree, actor_for):
    with pytest.raises(PermissionDenied):
        services.start_report(actor_for("officer_n1a"), unit=tree.n1a, month=MONTH)
    with pytest.raises(services.NotASector):
        services.start_report(chain[Stage.STATION], unit=tree.n1, month=MONTH)


def test_an_empty_report_is_not_submitted(chain, tree):
    report = services.start_report(chain["author"], unit=tree.n1a, month=MONTH)
    with pytest.raises(services.EmptyReport):
        services.submit_report(chain["author"], report=report)


def test_waiting_lists_and_roll_up(chain, tree):
    report = services.submit_report(chain["author"], report=_written(chain, tree))
    assert [r.pk for r in selectors.list_waiting_for(chain[Stage.STATION])] == [report.pk]
    assert selectors.list_waiting_for(chain[Stage.REGIONAL_COORDINATOR]) == []
    with translation.override("en"):
        rollup = selectors.roll_up(chain[Stage.REGIONAL_COORDINATOR], unit=tree.north, month=MONTH)
    assert [r.pk for r in rollup.reports] == [report.pk]
    assert [s.code for s in rollup.missing] == ["n1b"]  # the other sector of the region
    assert dict(rollup.by_status)["In review"] == 1
    assert Report.objects.count() == 1


def test_a_coordinator_who_submitted_a_report_cannot_also_approve_it(chain, tree):
    coordinator = chain[Stage.STATION]
    report = services.start_report(coordinator, unit=tree.n1a, month=MONTH)
    report = services.save_report(coordinator, report=report, issues="a", actions="b", needs="", remarks="")
    report = services.submit_report(coordinator, report=report)
    with pytest.raises(services.SelfReview):
        _review(coordinator, report, stage=Stage.STATION)
    assert selectors.took_part(coordinator, report)


def test_a_month_is_submitted_only_once_it_is_over(chain, tree):
    today = timezone.localdate()
    report = services.start_report(chain["author"], unit=tree.n1a, month=today)
    services.save_report(chain["author"], report=report, issues="a", actions="", needs="", remarks="")
    with pytest.raises(services.MonthNotOver):
        services.submit_report(chain["author"], report=report)
    with pytest.raises(services.MonthNotStarted):
        services.start_report(chain["author"], unit=tree.n1a, month=date(2011, 12, 1))


def test_a_returned_report_counts_as_outstanding_in_the_roll_up(chain, tree):
    report = services.submit_report(chain["author"], report=_written(chain, tree))
    _review(chain[Stage.STATION], report, "returned", "Më shumë.", stage=Stage.STATION)
    rollup = selectors.roll_up(chain[Stage.REGIONAL_COORDINATOR], unit=tree.north, month=MONTH)
    assert {s.code for s in rollup.missing} == {"n1a", "n1b"}
