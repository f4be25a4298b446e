"""Progress, indicators, evaluations and reminders against the database."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone

from cpis.concerns.models import Concern, ConcernEvent, EventKind, Status
from cpis.concerns.tests.factories import submit
from cpis.core.errors import InvalidInput
from cpis.core.models import OutboxMessage
from cpis.core.periods import Period, half_year_of, parse_label
from cpis.core.tests.helpers import PDF
from cpis.organisation.access import Actor
from cpis.organisation.tests.factories import OfficerFactory
from cpis.plans import indicators, selectors, services
from cpis.plans.models import (
    Acknowledgement,
    Activity,
    Evaluation,
    Indicator,
    IndicatorValue,
    ProgressStatus,
    ProgressUpdate,
    ReviewOutcome,
)
from cpis.plans.services import Upload


def activity(plan, code):
    return Activity.objects.get(plan=plan, code=code)


def _report_done(actor, plan, unit, **changes):
    """The actor reports activity 2.4.1 (LPSC sites) done at `unit` on 1 January 2013,
    but for the `changes` to post_update's arguments."""
    fields = {
        "activity": activity(plan, "2.4.1"),
        "unit": unit,
        "status": ProgressStatus.DONE,
        "narrative": "x",
        "reported_on": date(2013, 1, 1),
    }
    return services.post_update(actor, **{**fields, **changes})


def test_a_station_commander_reports_progress_with_evidence(plan, tree, actor_for):
    lpsc_sites = activity(plan, "2.4.1")  # station commanders identify LPSC sites
    update = services.post_update(
        actor_for("commander_n1"),
        activity=lpsc_sites,
        unit=tree.n1,
        status=ProgressStatus.IN_PROGRESS,
        percent=40,
        narrative="Tri lokacione u identifikuan.",
        reported_on=date(2013, 3, 1),
        files=[Upload("raporti.pdf", PDF)],
    )
    assert update.unit_path == tree.n1.path
    assert update.review == ReviewOutcome.PENDING
    [evidence] = update.evidence.all()
    assert evidence.name == "raporti.pdf"
    assert evidence.content_type == "application/pdf"
    assert evidence.file.read() == PDF


def test_a_unit_cannot_report_on_an_activity_it_is_not_responsible_for(plan, tree, actor_for):
    appointment = activity(plan, "1.1.1")  # the General Director's
    with pytest.raises(services.NotResponsible):
        _report_done(actor_for("commander_n1"), plan, tree.n1, activity=appointment)


def test_a_commander_cannot_report_for_another_station(plan, tree, actor_for):
    with pytest.raises(Http404):
        _report_done(actor_for("commander_n1"), plan, tree.s1)


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("virus.exe", b"MZ..."),
        ("fake.pdf", b"<html>not a pdf</html>"),
        ("notes.txt", b"\xff\xfe\x00bad"),
    ],
)
def test_bad_evidence_is_refused_and_nothing_is_saved(plan, tree, actor_for, name, data):
    with pytest.raises(InvalidInput):
        _report_done(actor_for("commander_n1"), plan, tree.n1, files=[Upload(name, data)])
    assert not ProgressUpdate.objects.exists()


def test_a_date_in_the_future_is_refused(plan, tree, actor_for):
    with pytest.raises(InvalidInput):
        _report_done(
            actor_for("commander_n1"), plan, tree.n1, reported_on=timezone.localdate() + timedelta(days=1)
        )


def _report(plan, code, unit, status, day, actor):
    return services.post_update(
        actor, activity=activity(plan, code), unit=unit, status=status, narrative="raport", reported_on=day
    )


def test_status_at_a_date_follows_the_latest_counted_update(plan, tree, actor_for):
    coordinator = actor_for("strategy_coordinator")
    review = activity(plan, "1.1.3")  # due 30 November 2012
    _report(plan, "1.1.3", tree.root, ProgressStatus.IN_PROGRESS, date(2012, 6, 1), coordinator)
    late = _report(plan, "1.1.3", tree.root, ProgressStatus.DONE, date(2013, 2, 1), coordinator)
    updates = selectors.updates_by_activity(plan)
    assert (
        selectors.state_at(review, updates[review.pk], date(2012, 7, 1), owner=tree.root.path).status
        == ProgressStatus.IN_PROGRESS
    )
    assert selectors.state_at(review, updates[review.pk], date(2012, 11, 15), owner=tree.root.path).due_soon
    assert selectors.state_at(review, updates[review.pk], date(2012, 12, 31), owner=tree.root.path).overdue
    done = selectors.state_at(review, updates[review.pk], date(2013, 3, 1), owner=tree.root.path)
    assert (done.status, done.overdue) == (ProgressStatus.DONE, False)

    directorate = actor_for("directorate")
    services.review_update(directorate, update=late, outcome=ReviewOutcome.RETURNED, note="Mungon vendimi.")
    updates = selectors.updates_by_activity(plan)
    assert selectors.state_at(review, updates[review.pk], date(2013, 3, 1), owner=tree.root.path).overdue


def test_a_returned_update_needs_a_note_and_is_reviewed_once(plan, tree, actor_for):
    coordinator = actor_for("strategy_coordinator")
    reviewer = actor_for("directorate")
    update = _report(plan, "1.1.3", tree.root, ProgressStatus.DONE, date(2012, 11, 1), coordinator)
    with pytest.raises(services.OwnUpdate):
        services.review_update(coordinator, update=update, outcome=ReviewOutcome.ACCEPTED)
    with pytest.raises(InvalidInput):
        services.review_update(reviewer, update=update, outcome=ReviewOutcome.RETURNED, note="")
    services.review_update(reviewer, update=update, outcome=ReviewOutcome.ACCEPTED)
    with pytest.raises(services.AlreadyReviewed):
        services.review_update(reviewer, update=update, outcome=ReviewOutcome.RETURNED, note="x")
    with pytest.raises(PermissionDenied):
        services.review_update(actor_for("commander_n1"), update=update, outcome=ReviewOutcome.ACCEPTED)


def test_police_day_recurs_every_year(plan, tree, actor_for):
    open_gate = activity(plan, "2.3.7")  # every level, on Police Day (6 September)
    _report(plan, "2.3.7", tree.n1, ProgressStatus.DONE, date(2013, 9, 7), actor_for("commander_n1"))
    updates = selectors.updates_by_activity(plan).get(open_gate.pk, [])
    station = tree.n1.path
    assert not selectors.state_at(open_gate, updates, date(2013, 10, 1), owner=station).overdue
    assert selectors.state_at(open_gate, updates, date(2014, 8, 20), owner=station).due_soon
    assert selectors.state_at(open_gate, updates, date(2014, 10, 1), owner=station).overdue


def test_a_late_report_of_last_years_open_gate_is_not_this_years(plan, tree, actor_for):
    open_gate = activity(plan, "2.3.7")
    _report(plan, "2.3.7", tree.n1, ProgressStatus.DONE, date(2013, 1, 10), actor_for("commander_n1"))
    updates = selectors.updates_by_activity(plan).get(open_gate.pk, [])
    assert selectors.state_at(open_gate, updates, date(2013, 10, 1), owner=tree.n1.path).overdue


def test_one_stations_done_does_not_close_a_shared_activity_for_the_others(plan, tree, actor_for):
    open_gate = activity(plan, "2.3.7")
    _report(plan, "2.3.7", tree.n1, ProgressStatus.DONE, date(2013, 9, 7), actor_for("commander_n1"))
    day = date(2013, 10, 1)
    by_unit = {
        unit: {r.activity.code: r.state for r in selectors.list_activity_rows(plan, unit=unit, day=day)}[
            "2.3.7"
        ]
        for unit in (tree.n1, tree.s1)
    }
    assert by_unit[tree.n1].status == ProgressStatus.DONE
    assert not by_unit[tree.n1].overdue
    assert by_unit[tree.s1].overdue  # station S1 held no open gate
    national = {r.activity.code: r.state for r in selectors.list_activity_rows(plan, day=day)}["2.3.7"]
    assert (national.status, national.overdue) == (ProgressStatus.IN_PROGRESS, True)
    # The working group's own report closes it for the whole plan.
    _report(
        plan, "2.3.7", tree.root, ProgressStatus.DONE, date(2013, 9, 20), actor_for("strategy_coordinator")
    )
    national = {r.activity.code: r.state for r in selectors.list_activity_rows(plan, day=day)}["2.3.7"]
    assert national.status == ProgressStatus.DONE
    assert open_gate.responsibles.filter(kind="all").exists()


def test_deadlines_per_unit_list_only_what_the_unit_answers_for(plan, tree):
    day = date(2012, 12, 31)
    station = selectors.list_deadlines(plan, unit=tree.n1, day=day)
    everyone = selectors.list_deadlines(plan, day=day)
    station_codes = {r.activity.code for r in station.overdue}
    assert "2.4.3" not in station_codes  # a directorate's template
    assert "1.1.3" in {r.activity.code for r in everyone.overdue}
    assert station_codes <= {r.activity.code for r in everyone.overdue}


# --- indicators ----------------------------------------------------------------------


def test_concern_indicators_count_from_the_concerns_records(plan, tree, categories):
    with time_machine.travel(date(2013, 2, 10), tick=False):
        first = submit().concern
        submit(channel="phone", actor=Actor.system())
    with time_machine.travel(date(2013, 8, 10), tick=False):
        submit()
        ConcernEvent.objects.create(
            concern=first,
            kind=EventKind.STATUS,
            from_status=Status.RECEIVED,
            to_status=Status.RESOLVED,
            text="U zgjidh.",
            is_public=True,
        )
    periods = [parse_label("2013 H1"), parse_label("2013 H2")]
    rows = {r.indicator.source: r.values for r in selectors.list_indicator_rows(plan, periods) if r.computed}
    assert rows["concerns.received"] == [2.0, 1.0]
    assert rows["concerns.reported_by_officers"] == [1.0, 0.0]
    assert rows["concerns.outcome_returned"] == [0.0, 1.0]
    # Per place: nothing was reported in the south.
    south = {
        r.indicator.source: r.values for r in selectors.list_indicator_rows(plan, periods, unit=tree.south)
    }
    assert south["concerns.received"] == [0.0, 0.0]
    assert Concern.objects.count() == 3


def test_officers_informed_is_the_share_who_confirmed(plan, tree, persona):
    officers = [OfficerFactory(unit=tree.n1, user=persona(name)) for name in ("officer_n1a", "leader_n1a")]
    with time_machine.travel(date(2012, 4, 20), tick=False):
        services.acknowledge_plan(Actor.for_user(officers[0].user), plan=plan)
        services.acknowledge_plan(Actor.for_user(officers[0].user), plan=plan)  # once per person
    indicator = Indicator.objects.get(source="plans.officers_informed")
    values = indicators.series(plan, [indicator], [parse_label("2012 H1")])
    assert values[indicator.pk] == [50.0]
    assert Acknowledgement.objects.count() == 1


def test_manual_values_keep_who_entered_them_and_the_latest_counts(plan, actor_for, persona):
    indicator = Indicator.objects.get(activity__code="2.2.1", activity__plan=plan, position=0)
    period = parse_label("2013 H1")
    coordinator = actor_for("strategy_coordinator")
    services.enter_indicator_value(coordinator, indicator=indicator, period=period, value=Decimal(12))
    services.enter_indicator_value(
        coordinator, indicator=indicator, period=period, value=Decimal(15), note="korrigjim"
    )
    assert indicators.series(plan, [indicator], [period])[indicator.pk] == [15.0]
    assert IndicatorValue.objects.filter(indicator=indicator).count() == 2
    assert {v.entered_by for v in IndicatorValue.objects.all()} == {persona("strategy_coordinator")}


def test_counted_indicators_refuse_hand_entered_values(plan, actor_for):
    indicator = Indicator.objects.get(source="concerns.outcome_returned")
    with pytest.raises(services.ComputedIndicator):
        services.enter_indicator_value(
            actor_for("strategy_coordinator"),
            indicator=indicator,
            period=parse_label("2013 H1"),
            value=Decimal(1),
        )


def test_a_source_registered_later_needs_no_change_to_the_plan(plan, actor_for, monkeypatch):
    indicator = Indicator.objects.get(activity__code="2.2.1", activity__plan=plan, position=0)
    Indicator.objects.filter(pk=indicator.pk).update(source="surveys.responses_received")
    indicator.refresh_from_db()
    assert not indicators.is_computed(indicator)  # not registered yet: entered by hand
    source = indicators.Source(
        "surveys.responses_received", "meetings", lambda plan, periods, path: [7.0] * len(periods)
    )
    monkeypatch.setitem(indicators.REGISTRY, source.key, source)
    assert indicators.series(plan, [indicator], [parse_label("2013 H1")])[indicator.pk] == [7.0]


# --- evaluation -----------------------------------------------------------------------


def test_an_evaluation_freezes_signs_and_never_changes(plan, tree, actor_for):
    coordinator, directorate = actor_for("strategy_coordinator"), actor_for("directorate")
    _report(plan, "1.1.3", tree.root, ProgressStatus.DONE, date(2012, 10, 1), coordinator)
    period = Period(date(2012, 7, 1), date(2012, 12, 31))
    evaluation = services.freeze_evaluation(coordinator, plan=plan, period=period)
    assert evaluation.snapshot["totals"]["done"] == 1
    assert (
        len([a for g in evaluation.snapshot["goals"] for o in g["objectives"] for a in o["activities"]]) == 72
    )
    with pytest.raises(services.EvaluationExists):
        services.freeze_evaluation(coordinator, plan=plan, period=period)

    # Later reports do not reach a frozen snapshot.
    _report(plan, "1.1.4", tree.root, ProgressStatus.DONE, date(2013, 1, 10), coordinator)
    evaluation.refresh_from_db()
    assert evaluation.snapshot["totals"]["done"] == 1

    with pytest.raises(PermissionDenied):
        services.write_narrative(coordinator, evaluation=evaluation, goal_number="1", text="x")
    services.write_narrative(directorate, evaluation=evaluation, goal_number="1", text="Mirë.")
    with pytest.raises(services.NarrativeMissing):
        services.sign_evaluation(directorate, evaluation=evaluation)
    for goal in ("2", "3"):
        services.write_narrative(directorate, evaluation=evaluation, goal_number=goal, text="Mirë.")
    services.sign_evaluation(directorate, evaluation=evaluation)
    with pytest.raises(services.EvaluationSigned):
        services.write_narrative(directorate, evaluation=evaluation, goal_number="1", text="Ndryshim")
    with pytest.raises(services.EvaluationSigned):
        services.sign_evaluation(directorate, evaluation=evaluation)
    snapshot = selectors.report_snapshot(Evaluation.objects.get())
    assert snapshot["goals"][0]["narrative"] == "Mirë."
    assert snapshot["evaluation"]["signed_at"]


def test_a_half_year_is_evaluated_only_after_it_ends(plan, actor_for):
    with time_machine.travel(date(2013, 5, 1), tick=False), pytest.raises(services.PeriodNotOver):
        services.freeze_evaluation(
            actor_for("strategy_coordinator"), plan=plan, period=half_year_of(date(2013, 5, 1))
        )


# --- reminders -------------------------------------------------------------------------


def test_reminders_go_to_responsible_units_once_a_week(plan, tree, persona):
    persona("commander_n1").email = "komandanti@example.org"
    persona("commander_n1").save()
    persona("commander_s1")  # no e-mail address: nothing to send
    persona("strategy_coordinator").email = "koordinatori@example.org"
    persona("strategy_coordinator").save()
    with time_machine.travel(date(2013, 9, 1), tick=False):
        assert services.send_reminders() == 2
        assert services.send_reminders() == 0  # the same day again
    with time_machine.travel(date(2013, 9, 4), tick=False):
        assert services.send_reminders() == 0  # within the week
    with time_machine.travel(date(2013, 9, 9), tick=False):
        assert services.send_reminders() == 2
    messages = OutboxMessage.objects.filter(record_type=services.RECORD_TYPE)
    assert messages.count() == 4
    station = messages.filter(to_email="komandanti@example.org").first()
    assert "2.3.7" in station.body  # Police Day, due on 6 September
    assert "1.1.1" not in station.body  # the General Director's, not the station's


def test_the_scheduled_job_sends_the_reminders_in_the_background(plan, persona):
    from io import StringIO

    from django.core.management import call_command

    persona("commander_n1").email = "komandanti@example.org"
    persona("commander_n1").save()
    out = StringIO()
    with time_machine.travel(date(2013, 9, 1), tick=False):
        call_command("run_scheduled", once=True, stdout=out)
    assert "Action plan deadline reminders enqueued." in out.getvalue()
    assert OutboxMessage.objects.filter(to_email="komandanti@example.org").exists()


def test_a_signed_evaluation_keeps_the_names_it_was_signed_with(plan, actor_for, persona):
    directorate = actor_for("directorate")
    evaluation = services.freeze_evaluation(
        actor_for("strategy_coordinator"), plan=plan, period=Period(date(2012, 7, 1), date(2012, 12, 31))
    )
    for goal in ("1", "2", "3"):
        services.write_narrative(directorate, evaluation=evaluation, goal_number=goal, text="Mirë.")
    services.sign_evaluation(directorate, evaluation=evaluation)
    signer = persona("directorate")
    signer.username = "someone-else"
    signer.save()
    snapshot = selectors.report_snapshot(Evaluation.objects.get())
    assert snapshot["evaluation"]["signed_by"] == "directorate"
    assert snapshot["goals"][0]["narrative_by"] == "directorate"


def test_control_characters_in_a_narrative_are_refused(plan, actor_for):
    evaluation = services.freeze_evaluation(
        actor_for("strategy_coordinator"), plan=plan, period=Period(date(2012, 7, 1), date(2012, 12, 31))
    )
    with pytest.raises(InvalidInput):
        services.write_narrative(
            actor_for("directorate"), evaluation=evaluation, goal_number="1", text="a\x0bb"
        )
