"""The strategy's elements 1–6 in the six-monthly evaluation, for the country and
for a region: what freezing stores from the apps' section functions (the forums'
sustainability, element 5, is a real one), that it never changes afterwards, how
the page, the PDF and the workbook show it, that no officer is named in it, and
who may freeze and sign a region's evaluation."""

import io
import logging
from datetime import date, datetime, time

import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from cpis.accounts.tests.factories import UserFactory
from cpis.core.evaluation import Section
from cpis.core.periods import Period
from cpis.forums.models import ActionStatus, MeetingStatus
from cpis.forums.selectors.evaluation import sustainability_section
from cpis.forums.tests.factories import ActionItemFactory, ForumFactory, MeetingFactory, MemberFactory
from cpis.organisation.tests.factories import AssignmentFactory, OfficerFactory
from cpis.plans import reports, selectors, services
from cpis.plans.models import Evaluation

from .test_perception import pdf_text

H1_2016 = Period(date(2016, 1, 1), date(2016, 6, 30))
PLANTED_NAMES = ("Bartholomew Fairweather", "Zebulon Quartermaine", "Xanthippe Vorobyova", "Quillon")


def at(day: date, hour: int = 18) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


@pytest.fixture
def forums(tree):
    """In the first half of 2016: North's sector A forum (6 a year) held all 3 meetings
    due, with 2 members and 5 others at each, and of its 2 action items due one was
    done in time; sector B's (12 a year) held 1 of 6: at risk. South's station forum
    held none of 3: lapsed; another South forum was dissolved on 1 March: lapsed.
    Officers, members and an action item's owner carry names that must never reach
    the evaluation."""
    officer_user = UserFactory(username="quillon", first_name="Zebulon", last_name="Quartermaine")
    officer = OfficerFactory(
        first_name="Bartholomew", last_name="Fairweather", user=officer_user, unit=tree.n1
    )
    AssignmentFactory(officer=officer, sector=tree.n1a)
    a = ForumFactory(unit=tree.n1a, name="Forum of Bartholomew Fairweather's sector", meetings_per_year=6)
    b = ForumFactory(unit=tree.n1b, meetings_per_year=12)
    c = ForumFactory(unit=tree.s1, meetings_per_year=6)
    ForumFactory(unit=tree.s1a, meetings_per_year=6, status="dissolved", dissolved_on=date(2016, 3, 1))
    members = [MemberFactory(forum=a, name="Xanthippe Vorobyova"), MemberFactory(forum=a)]
    held = []
    for day in (date(2016, 1, 20), date(2016, 3, 15), date(2016, 6, 1)):
        meeting = MeetingFactory(
            forum=a, starts_at=at(day), status=MeetingStatus.HELD, other_attendees=5, recorded_by=officer_user
        )
        meeting.members_present.set(members)
        held.append(meeting)
    MeetingFactory(forum=b, starts_at=at(date(2016, 2, 10)), status=MeetingStatus.HELD, other_attendees=3)
    MeetingFactory(forum=c, starts_at=at(date(2016, 2, 10)), status=MeetingStatus.CANCELLED)
    MeetingFactory(
        forum=c, starts_at=at(date(2015, 11, 10)), status=MeetingStatus.HELD
    )  # the half-year before
    ActionItemFactory(
        meeting=held[0],
        owner_name="Zebulon Quartermaine",
        owner_user=officer_user,
        due_on=date(2016, 3, 1),
        status=ActionStatus.DONE,
        done_at=at(date(2016, 2, 25)),
    )
    ActionItemFactory(meeting=held[1], owner_name="Xanthippe Vorobyova", due_on=date(2016, 5, 1))
    return a, b, c


def freeze(plan, actor, unit=None, period=H1_2016):
    return services.freeze_evaluation(actor, plan=plan, period=period, unit=unit)


def forums_section(evaluation):
    [section] = [s for s in evaluation.snapshot["sections"] if s["element"] == 5]
    return section


def row_of(section, place_en):
    [table] = section["tables"]
    return next(r for r in table["rows"] if isinstance(r[0], dict) and r[0]["en"] == place_en)


# --- the forums' section itself -------------------------------------------------------------


def test_the_forums_section_counts_active_at_risk_and_lapsed_forums_of_the_place(tree, forums):
    section = sustainability_section(tree.root, H1_2016.start, H1_2016.end).to_json()
    assert section["element"] == 5
    [table] = section["tables"]
    columns = [c["en"] for c in table["columns"]]
    total = dict(zip(columns, table["rows"][-1], strict=True))
    # Counted here by hand from the fixture: due is pro rata, 6 a year over 182 of 366 days.
    assert total["Forums"] == 4
    assert (total["Active"], total["At risk"], total["Lapsed"]) == (1, 1, 2)
    assert total["Meetings held"] == 4
    assert total["Meetings due"] == round(6 * 182 / 366 + 12 * 182 / 366 + 6 * 182 / 366 + 6 * 60 / 366)
    assert total["Average attendance"] == round((3 * 7 + 3) / 4, 1)
    assert (total["Action items due"], total["Action items done"], total["Done of due (%)"]) == (2, 1, 50.0)
    north = dict(zip(columns, row_of(section, "North"), strict=True))
    south = dict(zip(columns, row_of(section, "South"), strict=True))
    assert (north["Forums"], north["Active"], north["At risk"], north["Lapsed"]) == (2, 1, 1, 0)
    assert (south["Forums"], south["Lapsed"], south["Meetings held"]) == (2, 2, 0)
    chart = section["charts"][0]
    assert chart["labels"] == ["Veriu", "Jugu"]  # the places' names in the site's language
    assert [s["values"] for s in chart["series"]] == [[1.0, 0.0], [1.0, 0.0], [0.0, 2.0]]
    assert "4 forums" in section["summary"]["en"]


def test_a_place_that_never_had_a_forum_has_no_forums_section(tree):
    assert sustainability_section(tree.north, H1_2016.start, H1_2016.end) is None


# --- freezing ----------------------------------------------------------------------------------


def test_freezing_stores_each_registered_section_sorted_by_element(plan, tree, forums, actor_for):
    evaluation = freeze(plan, actor_for("strategy_coordinator"))
    stored = evaluation.snapshot["sections"]
    registered = [f for config in apps.get_app_configs() for f in getattr(config, "evaluation_sections", ())]
    assert "cpis.forums.selectors.evaluation.sustainability_section" in registered
    assert [s["element"] for s in stored] == sorted(s["element"] for s in stored)
    section = forums_section(evaluation)
    assert section["source"] == "cpis.forums.selectors.evaluation.sustainability_section"
    assert section == {
        **sustainability_section(tree.root, H1_2016.start, H1_2016.end).to_json(),
        "source": section["source"],
    }
    assert set(section["title"]) == {"sq", "sr", "sr-latn", "en"}
    assert evaluation.unit == tree.root
    assert evaluation.snapshot["evaluation"]["place"]["national"] is True


def test_the_stored_sections_never_change_when_the_records_do(plan, tree, forums, actor_for):
    evaluation = freeze(plan, actor_for("strategy_coordinator"))
    before = forums_section(evaluation)
    _a, b, c = forums
    for day in (date(2016, 2, 1), date(2016, 4, 1), date(2016, 5, 1)):
        MeetingFactory(forum=c, starts_at=at(day), status=MeetingStatus.HELD, other_attendees=40)
    b.delete()
    evaluation = Evaluation.objects.get(pk=evaluation.pk)
    assert forums_section(evaluation) == before
    assert row_of(before, "South")[5] == 0  # the meetings held, as they stood at the freeze
    live = sustainability_section(tree.root, H1_2016.start, H1_2016.end).to_json()
    assert live["tables"] != before["tables"]  # the records did change


def broken_section(unit, start, end):
    """A section function with a fault, registered through the hook in a test."""
    raise ZeroDivisionError("a fault in the app that computes this element")


def empty_section(unit, start, end):
    return None


def perception_like_section(unit, start, end):
    return Section(element=3, title="Deployment", summary=f"{unit.code}: {start}–{end}")


@pytest.fixture
def extra_sections(monkeypatch):
    config = apps.get_app_config("forums")
    monkeypatch.setattr(
        config,
        "evaluation_sections",
        (
            *config.evaluation_sections,
            "cpis.plans.tests.test_sections.broken_section",
            "cpis.plans.tests.test_sections.empty_section",
            "cpis.plans.tests.test_sections.perception_like_section",
        ),
    )


def test_a_section_that_fails_is_recorded_as_not_computed_and_the_freeze_goes_on(
    plan, tree, forums, actor_for, extra_sections, caplog
):
    with caplog.at_level(logging.ERROR, logger="cpis.plans.selectors.sections"):
        evaluation = freeze(plan, actor_for("director_north"), unit=tree.north)
    stored = evaluation.snapshot["sections"]
    # Other apps register their elements too; in element order, the failed one last.
    elements = [s["element"] for s in stored]
    assert elements[-1] is None and elements[:-1] == sorted(elements[:-1])
    ours = [s for s in stored if s["source"].startswith(("cpis.plans.tests", "cpis.forums"))]
    assert [s["element"] for s in ours] == [3, 5, None]  # none for the empty one
    assert ours[0]["summary"]["en"] == "north: 2016-01-01–2016-06-30"
    failed = stored[-1]
    assert failed["error"] is True
    assert failed["source"] == "cpis.plans.tests.test_sections.broken_section"
    assert "could not be computed" in failed["summary"]["en"]
    assert "ZeroDivisionError" in caplog.text
    text = pdf_text(reports.render_pdf(selectors.report_snapshot(evaluation), language="en", compress=False))
    assert "could not be computed" in text
    order = [text.index("Evaluation 3: Deployment"), text.index("Evaluation 4:"), text.index("Evaluation 5:")]
    assert order == sorted(order)


# --- a region's evaluation ----------------------------------------------------------------------


def test_a_regions_evaluation_uses_the_regions_data_only(plan, tree, forums, actor_for):
    evaluation = freeze(plan, actor_for("director_north"), unit=tree.north)
    assert evaluation.unit == tree.north and evaluation.unit_path == tree.north.path
    section = forums_section(evaluation)
    rows = section["tables"][0]["rows"]
    assert [r[0]["en"] for r in rows[:-1]] == ["Station N1"]  # one level down: the region's stations
    total = rows[-1]
    assert total[1:5] == [2, 1, 1, 0]  # North's two forums; South's lapsed ones are not here
    assert "Veriu" in section["summary"]["sq"] and "Jugu" not in section["summary"]["sq"]
    # The country and each region are evaluated once a half-year, each on its own.
    national = freeze(plan, actor_for("strategy_coordinator"))
    assert forums_section(national)["tables"][0]["rows"][-1][1] == 4
    with pytest.raises(services.EvaluationExists):
        freeze(plan, actor_for("coordinator_north"), unit=tree.north)
    assert selectors.evaluable_periods(plan, tree.north)[-1] != H1_2016
    assert H1_2016 in selectors.evaluable_periods(plan, tree.south)


def test_who_may_freeze_and_sign_a_regions_evaluation(plan, tree, forums, actor_for):
    director, coordinator = actor_for("director_north"), actor_for("coordinator_north")
    with pytest.raises(PermissionDenied):
        freeze(plan, director, unit=tree.south)
    with pytest.raises(PermissionDenied):
        freeze(plan, director)  # the national one is not the region's
    with pytest.raises(PermissionDenied):
        freeze(plan, actor_for("commander_n1"), unit=tree.north)
    with pytest.raises(services.NotAnEvaluationPlace):
        freeze(plan, actor_for("directorate"), unit=tree.n1)
    evaluation = freeze(plan, coordinator, unit=tree.north)
    with pytest.raises(PermissionDenied):
        services.write_narrative(coordinator, evaluation=evaluation, goal_number="1", text="Mirë.")
    for goal in ("1", "2", "3"):
        services.write_narrative(director, evaluation=evaluation, goal_number=goal, text="Mirë.")
    services.sign_evaluation(director, evaluation=evaluation)
    assert Evaluation.objects.get(pk=evaluation.pk).is_signed
    national = freeze(plan, actor_for("strategy_coordinator"))
    with pytest.raises(PermissionDenied):
        services.write_narrative(director, evaluation=national, goal_number="1", text="Mirë.")
    with pytest.raises(PermissionDenied):
        services.sign_evaluation(director, evaluation=national)
    # The directorate signs any place's, the region's included.
    south = freeze(plan, actor_for("strategy_coordinator"), unit=tree.south)
    services.write_narrative(actor_for("directorate"), evaluation=south, goal_number="1", text="Mirë.")


def test_the_freeze_form_offers_the_places_the_actor_may_evaluate(plan, tree, forums, client_for):
    url = reverse("plans:evaluations", args=[plan.pk])
    director = client_for("director_north")
    form = director.get(url).context["freeze_form"]
    assert list(form.places) == [tree.north.pk]
    assert director.post(url, {"period": "2016 H1", "unit": tree.south.pk}).status_code == 200
    assert not Evaluation.objects.exists()
    response = director.post(url, {"period": "2016 H1", "unit": tree.north.pk})
    evaluation = Evaluation.objects.get()
    assert response.url == reverse("plans:evaluation", args=[evaluation.pk])
    assert evaluation.unit == tree.north
    places = client_for("strategy_coordinator").get(url).context["freeze_form"].places
    assert list(places) == [tree.root.pk, tree.north.pk, tree.south.pk]
    assert client_for("commander_n1").get(url).context["freeze_form"] is None
    assert client_for("commander_n1").post(url, {"period": "2016 H1"}).status_code == 403
    assert client_for("coordinator_north").post(url, {"period": "2016 H1"}).status_code == 200
    assert Evaluation.objects.count() == 1  # without a place the coordinator's would be national: refused


# --- the page, the PDF and the workbook ---------------------------------------------------------


def test_the_page_pdf_and_workbook_show_the_sections_and_name_no_officer(plan, tree, forums, client_for):
    client = client_for("director_north")
    client.post(reverse("plans:evaluations", args=[plan.pk]), {"period": "2016 H1", "unit": tree.north.pk})
    evaluation = Evaluation.objects.get()
    page = client.get(reverse("plans:evaluation", args=[evaluation.pk]), HTTP_ACCEPT_LANGUAGE="en").content
    html = page.decode()
    part = html.split('id="evaluation-5"')[1]
    assert "Evaluation 5: The forums&#x27; sustainability" in part
    assert "Station N1" in part and "Forums by standing, per place" in part
    assert html.index('id="evaluation-4"') < html.index('id="evaluation-5"')
    assert "Place evaluated: North" in html

    pdf = reports.render_pdf(selectors.report_snapshot(evaluation), language="en", compress=False)
    text = pdf_text(pdf)
    assert "Evaluation 5: The forums' sustainability" in text
    assert "North had 2 forums in 2016 H1: 1 active, 1 at risk, 0 lapsed." in text
    assert "Forums by standing, per place" in text
    assert "Place evaluated: North" in text
    download = client.get(reverse("plans:evaluation_pdf", args=[evaluation.pk]), HTTP_ACCEPT_LANGUAGE="en")
    assert "-north-2016-H1.pdf" in download["Content-Disposition"]

    workbook = load_workbook(
        io.BytesIO(reports.render_xlsx(selectors.report_snapshot(evaluation), language="en"))
    )
    names = workbook.sheetnames
    assert names.index("Perception") < names.index("Evaluation 5") < names.index("Overdue")
    sheet = workbook["Evaluation 5"]
    cells = [[c.value for c in row] for row in sheet.iter_rows()]
    assert cells[0][0] == "Evaluation 5: The forums' sustainability"
    header = next(r for r in cells if r[0] == "Place")
    station = next(r for r in cells if r[0] == "Station N1")
    assert dict(zip(header, station, strict=False))["Meetings held"] == 4
    assert sheet._charts  # a native chart per stored chart
    assert len(sheet._charts) == len(forums_section(evaluation)["charts"])

    everything = "\n".join(
        [
            html,
            text,
            "\n".join(str(c.value) for s in workbook.worksheets for row in s.iter_rows() for c in row),
        ]
    )
    for name in PLANTED_NAMES:
        for part in name.split():
            assert part not in everything, part


def test_the_sections_read_in_the_readers_language(plan, tree, forums, actor_for):
    evaluation = freeze(plan, actor_for("strategy_coordinator"))
    snapshot = selectors.report_snapshot(evaluation)
    sq = pdf_text(reports.render_pdf(snapshot, language="sq", compress=False))
    sr = pdf_text(reports.render_pdf(snapshot, language="sr", compress=False))
    assert forums_section(evaluation)["title"]["sq"] in sq
    assert forums_section(evaluation)["title"]["sr"] in sr
    assert "Станица Н1" not in sr  # national: one level down is the regions
    assert "Север" in sr


def test_an_evaluation_frozen_before_the_sections_says_they_were_not_recorded(
    plan, tree, forums, actor_for, client_for
):
    evaluation = freeze(plan, actor_for("strategy_coordinator"))
    snapshot = dict(evaluation.snapshot)
    del snapshot["sections"]
    del snapshot["evaluation"]["place"]
    Evaluation.objects.filter(pk=evaluation.pk).update(snapshot=snapshot)
    evaluation.refresh_from_db()
    page = client_for("commander_n1").get(
        reverse("plans:evaluation", args=[evaluation.pk]), HTTP_ACCEPT_LANGUAGE="en"
    )
    assert page.status_code == 200
    assert 'id="elements-not-recorded"' in page.content.decode()
    assert 'id="evaluation-5"' not in page.content.decode()
    text = pdf_text(reports.render_pdf(selectors.report_snapshot(evaluation), language="en", compress=False))
    assert "were recorded with evaluations" in text
    assert "Evaluation 4: citizens' perception" in text
    workbook = load_workbook(
        io.BytesIO(reports.render_xlsx(selectors.report_snapshot(evaluation), language="en"))
    )
    assert "Elements" in workbook.sheetnames


def test_existing_evaluations_become_national_in_the_migration(plan, tree, actor_for):
    """Migration 0003 gives every evaluation frozen before it the root unit."""
    from importlib import import_module

    from django.apps import apps as global_apps

    evaluation = freeze(
        plan, actor_for("strategy_coordinator"), period=Period(date(2012, 7, 1), date(2012, 12, 31))
    )
    Evaluation.objects.filter(pk=evaluation.pk).update(unit=tree.north, unit_path="")
    migration = import_module("cpis.plans.migrations.0003_evaluation_place")
    migration.national(global_apps, None)
    evaluation.refresh_from_db()
    assert (evaluation.unit, evaluation.unit_path) == (tree.root, tree.root.path)
