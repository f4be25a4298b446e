"""The staff home, "my work today": every app's work items gathered through the
app registry, the most urgent first, for several roles; what each role is
shown and, as much, what it is not (issue #15)."""

import uuid
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.module_loading import import_string

from cpis.analytics import work as analytics_work
from cpis.analytics.models import EmergingCluster
from cpis.complaints import services as complaints
from cpis.concerns import services as concerns
from cpis.concerns.models import Concern
from cpis.concerns.tests.factories import submit
from cpis.core import registry
from cpis.core.registry import Urgency, WorkItem
from cpis.organisation.access import Actor
from cpis.organisation.tests.factories import AssignmentFactory, OfficerFactory
from cpis.surveys import work as surveys_work
from cpis.surveys.tests.responses_factories import make_wave


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def assigned(tree, persona):
    """Two concerns at n1a given to officer_n1a, one of them overdue, and a new one."""
    officer = OfficerFactory(unit=tree.n1, user=persona("officer_n1a"))
    AssignmentFactory(officer=officer, sector=tree.n1a)
    for overdue in (False, True):
        concern = submit().concern
        concerns.assign_concern(Actor.system(), concern=concern, officer=officer)
        if overdue:
            Concern.objects.filter(pk=concern.pk).update(due_at=timezone.now() - timedelta(hours=1))
    submit(description="Zhurmë natën te parku.")
    return officer


def complain(unit):
    return complaints.submit_complaint(
        description="Zyrtari më fyeu.", language="sq", idempotency_key=uuid.uuid4().hex, unit=unit
    ).complaint


def test_every_app_that_names_work_today_gives_items_through_the_registry(tree, actor_for):
    named = [config.name for config in registry.cpis_apps() if config.work_today]
    assert {"cpis.concerns", "cpis.complaints", "cpis.reporting", "cpis.forums", "cpis.problems"} <= set(
        named
    )
    for name in ("directorate", "standards", "officer_n1a"):
        for config in registry.cpis_apps():
            if config.work_today:
                items = import_string(config.work_today)(actor_for(name))
                assert all(isinstance(item, WorkItem) for item in items), config.name


def test_the_registry_leaves_out_what_counts_nothing_and_puts_the_overdue_first(assigned, actor_for):
    items = registry.work_today(actor_for("officer_n1a"))
    assert [(item.urgency, item.count) for item in items] == [(Urgency.OVERDUE, 1), (Urgency.NOW, 2)]


def test_an_officer_reads_the_concerns_assigned_to_them_on_the_home_page(assigned, tree, client_for):
    page = client_for("officer_n1a").get(reverse("organisation:home"), HTTP_ACCEPT_LANGUAGE="en")
    html = page.content.decode()
    assert page.status_code == 200
    link = reverse("concerns:queue") + "?status=open&amp;mine=on"
    assert (
        f'href="{link}"><strong class="work-count">2</strong> '
        '<span class="work-label">open concerns assigned to you' in html
    )
    # Overdue first, then what waits for them.
    assert (
        html.index(">Overdue<") < html.index("of your concerns is overdue") < html.index(">Waiting for you<")
    )
    assert "Nothing needs you right now." not in html
    # Their places, whose pages hold the organisation's figures, are still a click away.
    assert (
        reverse("organisation:unit", args=[assigned.unit.pk]) not in html
    )  # the officer holds a role at n1a
    assert "Your places" in html


def test_the_sector_leader_is_told_of_the_new_concern_to_triage(assigned, client_for):
    html = (
        client_for("leader_n1a").get(reverse("organisation:home"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    )
    assert '<strong class="work-count">1</strong> <span class="work-label">new concern to triage' in html
    assert "open concern assigned to you" not in html


def test_professional_standards_see_complaints_and_nothing_of_concerns(assigned, tree, client_for):
    complain(tree.n1)
    html = (
        client_for("standards").get(reverse("organisation:home"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    )
    assert "new complaint to acknowledge" in html
    assert "concern" not in html.split('id="work-today"')[1].split("</div>")[0]
    directorate = (
        client_for("directorate")
        .get(reverse("organisation:home"), HTTP_ACCEPT_LANGUAGE="en")
        .content.decode()
    )
    assert "complaint" not in directorate.split('id="work-today"')[1].split("</div>")[0]
    assert "new concern to triage" in directorate


def test_who_has_nothing_to_do_is_told_so(tree, client_for):
    html = (
        client_for("safeguarding_n1")
        .get(reverse("organisation:home"), HTTP_ACCEPT_LANGUAGE="en")
        .content.decode()
    )
    assert "Nothing needs you right now." in html


def test_the_home_page_reads_a_bounded_number_of_queries(
    assigned, tree, client_for, django_assert_max_num_queries
):
    complain(tree.n1)
    client = client_for("directorate")
    client.get(reverse("organisation:home"), HTTP_ACCEPT_LANGUAGE="en")
    with django_assert_max_num_queries(30):
        assert client.get(reverse("organisation:home"), HTTP_ACCEPT_LANGUAGE="en").status_code == 200


def test_the_place_page_keeps_the_organisations_totals(tree, client_for):
    html = (
        client_for("commander_n1")
        .get(reverse("organisation:unit", args=[tree.n1.pk]), HTTP_ACCEPT_LANGUAGE="en")
        .content.decode()
    )
    for label in (
        "sectors",
        "officers",
        "community officers",
        "sectors without a team",
        "moves before two years",
    ):
        assert f"</strong>{label}</div>" in html


def _cluster(unit):
    day = date(2026, 6, 17)
    return EmergingCluster.objects.create(
        subject="incidents", category="burglary", category_label="Burglary", unit=unit, path=unit.path,
        centre_lat=42.55, centre_lon=21.05, radius_m=500, start_date=day, end_date=day, observed=10,
        expected=2, llr=8, p_value=0.001, recurrence_days=1000, first_detected_on=day, last_detected_on=day,
    )  # fmt: skip


def test_emerging_clusters_wait_for_the_leads_of_their_place_only(tree, actor_for):
    _cluster(tree.n1a)
    dismissed = _cluster(tree.n1b)
    EmergingCluster.objects.filter(pk=dismissed.pk).update(status="dismissed")
    assert [i.count for i in analytics_work.today(actor_for("leader_n1a"))] == [1]
    assert [i.count for i in analytics_work.today(actor_for("commander_n1"))] == [1]
    assert [i.count for i in analytics_work.today(actor_for("commander_s1"))] == [0]
    assert analytics_work.today(actor_for("officer_n1a")) == []  # sees clusters, reviews none
    assert analytics_work.today(actor_for("standards")) == []


def test_an_open_survey_wave_is_work_where_one_takes_responses(tree, actor_for):
    make_wave(tree.north)
    officer = {i.url: i.count for i in surveys_work.today(actor_for("officer_n1a"))}
    assert officer == {reverse("surveys:collect"): 1}
    assert {i.url: i.count for i in surveys_work.today(actor_for("commander_s1"))}[
        reverse("surveys:collect")
    ] == 0
    assert surveys_work.today(actor_for("standards")) == []


def test_the_plans_coordinator_is_told_of_activities_past_their_deadline(tree, actor_for):
    from cpis.plans import work as plans_work
    from cpis.plans.selectors import list_deadlines
    from cpis.plans.services import load_plan_data
    from cpis.plans.spec import load_data_file

    plan, _created = load_plan_data(load_data_file())
    overdue = len(list_deadlines(plan).overdue)
    assert overdue > 0  # the 2012–2016 plan, read today
    for name in ("strategy_coordinator", "directorate"):
        items = plans_work.today(actor_for(name))
        assert (items[0].urgency, items[0].count) == (Urgency.OVERDUE, overdue), name
    assert plans_work.today(actor_for("commander_n1")) == []
