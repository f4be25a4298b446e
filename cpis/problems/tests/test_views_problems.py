"""The staff workspace of problems: the list of one's places with its filters
and exports, a problem opened by hand or changed, its overview with the steps
on it (owner, team, stage, close, reopen) and its history in words."""

import csv
import io
from datetime import date, timedelta

import pytest
import time_machine
from django import forms
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape
from openpyxl import load_workbook

from cpis.accounts.models import AccessLogEntry
from cpis.accounts.tests.factories import english, signed_in_with_app
from cpis.concerns.models import Category as ConcernCategory
from cpis.forums.tests.factories import ForumFactory
from cpis.incidents.models import IncidentCategory
from cpis.organisation.access import Actor
from cpis.organisation.tests.factories import OfficerFactory
from cpis.partners.tests.factories import partner
from cpis.problems.forms.problems import FilterForm, ManySelect
from cpis.problems.models import (
    Action,
    ActionStatus,
    Assessment,
    Change,
    MemberKind,
    Outcome,
    Problem,
    Stage,
    TeamMember,
    Technique,
)
from cpis.problems.selectors import workspace
from cpis.problems.selectors.workspace import OwnerChoice
from cpis.problems.services import problems as services

SYSTEM = Actor.system()


def open_at(unit, title="Vjedhje në treg", **fields):
    return services.open_problem(SYSTEM, unit=unit, title=title, **fields)


def add_action(problem, owner):
    """An open action and a done one: the list counts the open one."""
    for status, done_on in ((ActionStatus.IN_PROGRESS, None), (ActionStatus.DONE, date(2024, 2, 1))):
        Action.objects.create(
            problem=problem,
            title="Patrullë në mbrëmje",
            technique=Technique.FORMAL_SURVEILLANCE,
            owner_officer=owner,
            due_on=date(2024, 2, 1),
            status=status,
            done_on=done_on,
        )


def detail(problem):
    return reverse("problems:detail", args=[problem.pk])


def act(problem, step):
    return reverse("problems:overview_act", args=[problem.pk, step])


# The list


def test_the_list_shows_the_problems_of_my_places_only(tree, client_for):
    north = open_at(tree.n1a, title="Vjedhje në tregun e Mitrovicës")
    south = open_at(tree.s1a, title="Gara me makina në Prizren")
    for persona, shown, hidden in (
        ("commander_s1", south, north),
        ("commander_n1", north, south),
        ("officer_n1a", north, south),
    ):
        response = client_for(persona).get(reverse("problems:list"))
        assert response.status_code == 200
        assert list(response.context["page"]) == [shown], persona
        assert hidden.title not in response.content.decode()


def test_who_sees_no_problem_anywhere_gets_404(tree, client_for):
    assert client_for("standards").get(reverse("problems:list")).status_code == 404
    assert client_for("standards").get(reverse("problems:export", args=["csv"])).status_code == 404


def test_the_list_filters_by_stage_outcome_place_owner_text_and_dates(tree, client_for, problem, officer_n1a):
    station = open_at(tree.n1, title="Zhurmë natën")
    closed = open_at(tree.n1b, title="Grafite")
    services.close_problem(SYSTEM, problem=closed, outcome=Outcome.NOT_A_PROBLEM, reason="Nuk është problem.")
    services.move_stage(SYSTEM, problem=station, stage=Stage.ANALYSIS)
    client = client_for("commander_n1")

    def listed(**params):
        response = client.get(reverse("problems:list"), params)
        assert response.status_code == 200
        return {p.pk for p in response.context["page"]}

    assert listed() == {problem.pk, station.pk, closed.pk}
    assert listed(stage="open") == {problem.pk, station.pk}
    assert listed(stage=Stage.ANALYSIS) == {station.pk}
    assert listed(outcome=Outcome.NOT_A_PROBLEM) == {closed.pk}
    assert listed(unit=tree.n1a.pk) == {problem.pk}
    assert listed(unit=tree.n1.pk) == {problem.pk, station.pk, closed.pk}
    assert listed(owner=officer_n1a.pk) == {problem.pk}
    assert listed(q="zhurm") == {station.pk}
    assert listed(q="break-ins") == {problem.pk}  # the description is searched too
    today = timezone.localdate().isoformat()
    assert listed(opened_from=today, opened_until=today) == {problem.pk, station.pk, closed.pk}
    assert listed(opened_until="2000-01-01") == set()
    # A place outside mine is not a choice: the filter is refused, the others still apply.
    response = client.get(reverse("problems:list"), {"unit": tree.s1a.pk, "stage": "open"})
    assert response.context["form"].errors["unit"]
    assert {p.pk for p in response.context["page"]} == {problem.pk, station.pk}


def test_mine_lists_what_i_own_or_am_on_the_team_of(tree, client_for, problem, officer_n1a):
    other = open_at(tree.n1b, title="Grafite")
    open_at(tree.n1b, title="Zhurmë")
    services.add_team_member(SYSTEM, problem=other, kind=MemberKind.OFFICER, officer=officer_n1a)
    response = client_for("officer_n1a").get(reverse("problems:list"), {"mine": "on"})
    assert {p.pk for p in response.context["page"]} == {problem.pk}  # n1b is not their place
    response = client_for("commander_n1").get(reverse("problems:list"), {"mine": "on"})
    assert list(response.context["page"]) == []


def test_a_page_of_one_and_a_page_of_25_take_the_same_number_of_queries(tree, client_for):
    categories = list(IncidentCategory.objects.all()[:2])
    owner = OfficerFactory(unit=tree.n1)
    client = client_for("commander_n1")

    def queries():
        with CaptureQueriesContext(connection) as captured:
            response = client.get(reverse("problems:list"))
        assert response.status_code == 200
        return len(captured), len(response.context["page"])

    open_at(tree.n1a, owner=owner, incident_categories=categories)
    one, rows = queries()
    assert rows == 1
    for n in range(24):
        made = open_at(tree.n1b if n % 2 else tree.n1a, title=f"Problem {n}", owner=owner)
        if n % 3 == 0:
            services.close_problem(SYSTEM, problem=made, outcome=Outcome.NOT_SOLVED, reason="x")
    assert queries() == (one, 25)


def test_a_page_of_25_and_a_page_of_100_take_the_same_number_of_queries(tree, client_for):
    """The page size is ?per_page= (25, 50, 100 or 200; 50 otherwise), and a bigger
    page costs no more queries: open actions are counted by the page's own rows."""
    owner = OfficerFactory(unit=tree.n1)
    client = client_for("commander_n1")
    for n in range(60):
        made = open_at(tree.n1b if n % 2 else tree.n1a, title=f"Problem {n}", owner=owner)
        if n % 4 == 0:
            services.move_stage(SYSTEM, problem=made, stage=Stage.RESPONSE)
            add_action(made, owner)

    def queries(**params):
        with CaptureQueriesContext(connection) as captured:
            response = client.get(reverse("problems:list"), params)
        assert response.status_code == 200
        return len(captured), len(response.context["page"])

    small, rows = queries(per_page="25")
    assert rows == 25
    assert queries(per_page="100") == (small, 60)
    assert queries()[1] == 50
    assert queries(per_page="7")[1] == 50  # not a page size offered: the default
    listed = client.get(reverse("problems:list"), {"per_page": "25", "page": "3"}).context["page"]
    assert len(listed) == 10
    counted = {
        p.pk: p.open_actions
        for p in client.get(reverse("problems:list"), {"per_page": "100"}).context["page"]
    }
    assert counted == {
        p.pk: p.actions.filter(status__in=("planned", "in_progress")).count()
        for p in Problem.objects.filter(unit_path__startswith=tree.n1.path)
    }
    assert sum(counted.values()) == 15


def test_the_filters_place_and_owner_choices_render_as_djangos_select_does(tree, actor_for):
    """The place and owner choices (hundreds for a national role) are written by
    ManySelect: the same HTML as Django's own select, selected value and escaping included."""
    officer = OfficerFactory(unit=tree.n1, first_name='<b>"Ana"</b>', badge_number="")
    form = FilterForm(
        {"unit": str(tree.n1a.pk)},
        places=workspace.list_place_filter_choices(actor_for("commander_n1")),
        owners=[OwnerChoice(officer.pk, officer.full_name, officer.badge_number)],
    )
    for name in ("unit", "owner"):
        ours = str(form[name])
        djangos = forms.Select(choices=form.fields[name].choices).render(
            form[name].html_name, form[name].value(), {"id": form[name].auto_id}
        )
        assert ours == djangos, name
    assert "selected" in str(form["unit"])
    assert "&lt;b&gt;&quot;Ana&quot;&lt;/b&gt;" in str(form["owner"])
    grouped = [("", "All"), ("Station", [(1, "One & two"), (2, "Three")])]
    assert ManySelect(choices=grouped).render("x", "2", {"id": "id_x", "required": True}) == forms.Select(
        choices=grouped
    ).render("x", "2", {"id": "id_x", "required": True})


def test_the_new_problem_button_shows_only_to_who_may_open_one(tree, client_for):
    new = f'href="{reverse("problems:new")}"'
    assert new in client_for("commander_n1").get(reverse("problems:list")).content.decode()
    listed = client_for("strategy_coordinator").get(reverse("problems:list"))
    assert listed.status_code == 200
    assert new not in listed.content.decode()
    assert client_for("strategy_coordinator").get(reverse("problems:new")).status_code == 403
    assert client_for("standards").get(reverse("problems:new")).status_code == 404


# The export


def _csv(response):
    assert response.status_code == 200
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_the_export_has_one_row_per_problem_of_the_filtered_list_and_no_citizen(tree, client_for, problem):
    category = IncidentCategory.objects.order_by("sort_order").first()
    concern = ConcernCategory.objects.order_by("sort_order").first()
    services.update_problem(
        SYSTEM,
        problem=problem,
        title=problem.title,
        description=problem.description,
        incident_categories=[category],
        concern_categories=[concern],
    )
    services.add_team_member(
        SYSTEM,
        problem=problem,
        kind=MemberKind.CITIZEN,
        citizen_name="Drita Berisha",
        citizen_contact="+383 44 555 666",
        consent_on=date(2024, 5, 2),
    )
    Assessment.objects.create(problem=problem, response_date=date(2024, 1, 1), rate_ratio=0.51234, wdq=-0.4)
    open_at(tree.s1a, title="Gara me makina")
    client = client_for("commander_n1")
    client.cookies["cpis_language"] = "en"
    rows = _csv(client.get(reverse("problems:export", args=["csv"])))
    assert rows[0][:4] == ["Number", "Title", "Stage", "Outcome"]
    assert len(rows) == 2
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["Number"] == str(problem.pk)
    assert (row["Region"], row["Station"], row["Place"]) == ("North", "Station N1", "Sector A")
    assert row["Owner"] == "Arben Krasniqi"
    assert row["Stage"] == "Scanning"
    assert category.name_en in row["Categories"] and concern.name_en in row["Categories"]
    assert (row["Open actions"], row["Rate ratio"], row["WDQ"]) == ("0", "0.512", "-0.4")
    text = "\n".join(",".join(r) for r in rows)
    assert "Drita" not in text and "555" not in text
    # The same filters as the list: nothing matches.
    assert len(_csv(client.get(reverse("problems:export", args=["csv"]), {"stage": "closed"}))) == 1


def test_the_export_in_xlsx_and_of_another_place(tree, client_for, problem):
    response = client_for("commander_s1").get(reverse("problems:export", args=["xlsx"]))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.max_row == 1  # the header only: N1's problem is not theirs
    response = client_for("commander_n1").get(reverse("problems:export", args=["xlsx"]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [c.value for c in sheet[2]][:2] == [problem.pk, problem.title]
    assert client_for("commander_n1").get(reverse("problems:export", args=["pdf"])).status_code == 404


# A problem opened by hand


def test_a_commander_opens_a_problem_by_hand(tree, client_for, officer_n1a):
    category = IncidentCategory.objects.order_by("sort_order").first()
    response = client_for("commander_n1").post(
        reverse("problems:new"),
        {
            "unit": tree.n1b.pk,
            "title": "Vjedhje makinash te stacioni i autobusëve",
            "description": "Çdo fundjavë.",
            "incident_categories": [category.pk],
            "owner": officer_n1a.pk,
        },
    )
    made = Problem.objects.get()
    assert response.status_code == 302 and response.url == detail(made)
    assert (made.unit, made.owner, made.stage) == (tree.n1b, officer_n1a, Stage.SCANNING)
    assert list(made.incident_categories.all()) == [category]
    assert Change.objects.filter(problem=made, what="opened").exists()


def test_the_new_problem_form_is_prefilled_from_the_link_that_sent_me(tree, client_for):
    incident = IncidentCategory.objects.get(code="burglary")
    concern = ConcernCategory.objects.order_by("sort_order").first()
    response = client_for("commander_n1").get(
        reverse("problems:new"),
        {"unit": tree.n1b.pk, "title": "Nga grupi i zbuluar", "categories": incident.code},
    )
    assert response.status_code == 200
    initial = response.context["form"].initial
    assert (initial["unit"], initial["title"]) == (tree.n1b.pk, "Nga grupi i zbuluar")
    assert (initial["incident_categories"], initial["concern_categories"]) == ([incident.pk], [])
    # A code both taxonomies have is ticked in the one the link names.
    response = client_for("commander_n1").get(
        reverse("problems:new"),
        {"incident_categories": f"{incident.code},nonsense", "concern_categories": concern.code},
    )
    initial = response.context["form"].initial
    assert (initial["incident_categories"], initial["concern_categories"]) == ([incident.pk], [concern.pk])


def test_changing_the_place_reloads_the_owners_to_choose_from(tree, client_for, officer_n1a):
    south = OfficerFactory(unit=tree.s1, first_name="Besa", last_name="Gashi")
    client = client_for("directorate")
    owners = (
        client.get(reverse("problems:new"), {"unit": tree.s1a.pk}).context["form"].fields["owner"].choices
    )
    assert [pk for pk, _label in owners] == ["", south.pk]
    page = client.get(reverse("problems:new"), {"unit": tree.n1a.pk}, HTTP_HX_REQUEST="true").content.decode()
    assert 'id="owner-choices"' in page and "Arben Krasniqi" in page and "Besa Gashi" not in page


def test_a_bad_new_problem_changes_nothing_and_says_why_in_my_language(tree, client_for):
    client = client_for("commander_n1")
    client.cookies["cpis_language"] = "sr"
    response = client.post(reverse("problems:new"), {"unit": tree.n1a.pk, "title": "   "})
    assert response.status_code == 400
    with translation.override("sr"):
        required = translation.gettext("This field is required.")
    assert required != "This field is required."
    assert escape(required) in response.content.decode()
    response = client.post(reverse("problems:new"), {"unit": tree.s1a.pk, "title": "Jashtë vendeve të mia"})
    assert response.status_code == 400
    assert response.context["form"].errors["unit"]
    assert not Problem.objects.exists()


# The overview


def test_a_problem_outside_my_places_is_not_found(tree, client_for, problem):
    client = client_for("commander_s1")
    assert client.get(detail(problem)).status_code == 404
    assert client.get(reverse("problems:edit", args=[problem.pk])).status_code == 404
    assert client.post(act(problem, "stage"), {"stage": Stage.ANALYSIS}).status_code == 404
    problem.refresh_from_db()
    assert problem.stage == Stage.SCANNING


def test_the_overview_shows_what_the_problem_is_and_its_steps_to_who_works_it(tree, client_for, problem):
    page = client_for("officer_n1a").get(detail(problem))
    assert page.status_code == 200
    assert page.context["tab"] == "detail" and page.context["can_work"]
    html = page.content.decode()
    assert "Night break-ins." in html and "problems/problems.css" in html
    assert act(problem, "stage") in html and act(problem, "close") in html
    assert act(problem, "owner") not in html  # the owner is given by the leads
    reader = client_for("strategy_coordinator").get(detail(problem))
    assert reader.status_code == 200 and not reader.context["can_work"]
    assert act(problem, "stage") not in reader.content.decode()


def test_a_target_area_is_drawn_on_a_map(tree, client_for):
    square = {"type": "Polygon", "coordinates": [[[21.0, 42.5], [21.01, 42.5], [21.01, 42.51], [21.0, 42.5]]]}
    made = open_at(tree.n1a, area=square)
    html = client_for("commander_n1").get(detail(made)).content.decode()
    assert 'id="problem-area"' in html and "problems/area-map.js" in html and "leaflet.js" in html


def test_the_lead_changes_the_owner_and_the_owner_may_not(tree, client_for, problem, officer_n1a):
    colleague = OfficerFactory(unit=tree.n1, first_name="Agim", last_name="Hoxha")
    assert client_for("officer_n1a").post(act(problem, "owner"), {"owner": colleague.pk}).status_code == 403
    response = client_for("leader_n1a").post(act(problem, "owner"), {"owner": colleague.pk})
    assert response.status_code == 302 and response.url == detail(problem)
    problem.refresh_from_db()
    assert problem.owner == colleague
    # An officer of another station cannot own it: the choice is refused, nothing changes.
    stranger = OfficerFactory(unit=tree.s1)
    assert client_for("leader_n1a").post(act(problem, "owner"), {"owner": stranger.pk}).status_code == 400
    problem.refresh_from_db()
    assert problem.owner == colleague


def test_stages_move_with_a_note_and_the_history_says_so_in_words(tree, client_for, persona, problem):
    client = client_for("officer_n1a")
    client.cookies["cpis_language"] = "en"
    response = client.post(act(problem, "stage"), {"stage": Stage.ANALYSIS, "note": "Të dhënat u mblodhën."})
    assert response.status_code == 302
    html = client.get(detail(problem)).content.decode()
    assert f"Stage moved from Scanning to Analysis by {persona('officer_n1a')}." in html
    assert "Të dhënat u mblodhën." in html
    assert f"Opened by {persona('officer_n1a')}." in html
    assert "Opened by the system." in client.get(detail(open_at(tree.n1a))).content.decode()


def test_closing_as_solved_needs_an_assessment_or_a_reason(tree, client_for, problem):
    client = client_for("officer_n1a")
    response = client.post(act(problem, "close"), {"outcome": Outcome.SOLVED, "reason": ""})
    assert response.status_code == 400
    with translation.override("sq"):
        message = str(services.SolvedNeedsAssessment.message)
    assert escape(message) in response.content.decode()
    assert client.post(act(problem, "close"), {"outcome": "", "reason": "x"}).status_code == 400
    problem.refresh_from_db()
    assert problem.is_open and not Change.objects.filter(problem=problem, what="closed").exists()
    response = client.post(act(problem, "close"), {"outcome": Outcome.SOLVED, "reason": "Tregu u mbyll."})
    assert response.status_code == 302
    problem.refresh_from_db()
    assert (problem.stage, problem.outcome, problem.outcome_reason) == (
        Stage.CLOSED,
        Outcome.SOLVED,
        "Tregu u mbyll.",
    )


def test_only_a_lead_reopens_a_closed_problem(tree, client_for, problem):
    services.close_problem(SYSTEM, problem=problem, outcome=Outcome.NOT_SOLVED, reason="x")
    page = client_for("officer_n1a").get(detail(problem))
    assert act(problem, "reopen") not in page.content.decode()
    assert client_for("officer_n1a").post(act(problem, "reopen"), {"note": ""}).status_code == 403
    client = client_for("commander_n1")
    assert act(problem, "reopen") in client.get(detail(problem)).content.decode()
    assert client.post(act(problem, "reopen"), {"note": "U kthye."}).status_code == 302
    problem.refresh_from_db()
    assert (problem.stage, problem.outcome) == (Stage.RESPONSE, "")


def test_the_team_takes_officers_partners_forums_and_citizens_with_consent(tree, client_for, problem):
    colleague = OfficerFactory(unit=tree.n1, first_name="Agim", last_name="Hoxha")
    school = partner(tree.n1a, name="Shkolla Naim Frashëri")
    partner(tree.s1, name="Komuna e Prizrenit")
    forum = ForumFactory(unit=tree.n1a, name="KLSP Mitrovica")
    ForumFactory(unit=tree.s1, name="KLSP Prizren")
    client = client_for("officer_n1a")
    form = client.get(detail(problem)).context["team_form"]
    assert [label for _pk, label in form.fields["partner"].choices] == ["—", "Shkolla Naim Frashëri"]
    assert [pk for pk, _label in form.fields["forum"].choices] == ["", forum.pk]
    for data in (
        {"kind": MemberKind.OFFICER, "officer": colleague.pk},
        {"kind": MemberKind.PARTNER, "partner": school.pk, "role": "Drejtori"},
        {"kind": MemberKind.FORUM, "forum": forum.pk},
        {"kind": MemberKind.CITIZEN, "citizen_name": "Drita Berisha", "consent_on": "2024-05-02"},
    ):
        assert client.post(act(problem, "team_add"), data).status_code == 302, data
    # A citizen without the date of their consent is refused, and says why.
    response = client.post(
        act(problem, "team_add"), {"kind": MemberKind.CITIZEN, "citizen_name": "Pa pëlqim"}
    )
    assert response.status_code == 400
    assert response.context["team_form"].non_field_errors()
    assert TeamMember.objects.filter(problem=problem).count() == 4
    page = client.get(detail(problem)).content.decode()
    assert "Drita Berisha" in page and "Shkolla Naim Frashëri" in page and "KLSP Mitrovica" in page
    member = TeamMember.objects.get(problem=problem, kind=MemberKind.PARTNER)
    assert client.post(act(problem, "team_remove"), {"member": member.pk}).status_code == 302
    assert not TeamMember.objects.filter(pk=member.pk).exists()
    whats = list(Change.objects.filter(problem=problem).values_list("what", flat=True))
    assert whats.count("team_added") == 4 and whats.count("team_removed") == 1


def test_a_member_of_another_problems_team_is_not_removed_from_here(tree, client_for, problem):
    other = open_at(tree.n1a, title="Tjetër")
    member = services.add_team_member(
        SYSTEM, problem=other, kind=MemberKind.FORUM, forum=ForumFactory(unit=tree.n1)
    )
    assert (
        client_for("officer_n1a").post(act(problem, "team_remove"), {"member": member.pk}).status_code == 404
    )
    assert TeamMember.objects.filter(pk=member.pk).exists()


def test_citizens_contacts_are_shown_on_asking_and_every_one_is_logged(tree, client_for, problem):
    citizen = services.add_team_member(
        SYSTEM,
        problem=problem,
        kind=MemberKind.CITIZEN,
        citizen_name="Drita Berisha",
        citizen_contact="+383 44 555 666",
        consent_on=date(2024, 5, 2),
    )
    url = reverse("problems:team_contacts", args=[problem.pk])
    client = client_for("officer_n1a")
    assert "+383 44 555 666" not in client.get(detail(problem)).content.decode()
    assert client.get(url).status_code == 405
    response = client.post(url)
    assert response.status_code == 200 and "+383 44 555 666" in response.content.decode()
    assert (
        AccessLogEntry.objects.filter(subject_type="problems.teammember", subject_id=str(citizen.pk)).count()
        == 1
    )
    assert client_for("strategy_coordinator").post(url).status_code == 403


def test_citizens_contacts_need_a_fresh_second_factor(tree, persona, problem):
    services.add_team_member(
        SYSTEM,
        problem=problem,
        kind=MemberKind.CITIZEN,
        citizen_name="Drita Berisha",
        citizen_contact="+383 44 555 666",
        consent_on=date(2024, 5, 2),
    )
    client, _app = signed_in_with_app(english(persona("officer_n1a")))
    url = reverse("problems:team_contacts", args=[problem.pk])
    assert "+383 44 555 666" in client.post(url).content.decode()
    stale = timedelta(seconds=settings.MFA_FRESH_SECONDS + 60)
    with time_machine.travel(timezone.now() + stale, tick=False):
        response = client.post(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:second_factor"))


def test_editing_changes_what_the_problem_is_and_keeps_its_area(tree, client_for, officer_n1a):
    square = {"type": "Polygon", "coordinates": [[[21.0, 42.5], [21.01, 42.5], [21.01, 42.51], [21.0, 42.5]]]}
    made = open_at(tree.n1a, owner=officer_n1a, area=square)
    made.routine_activity = "Pas mesnate."
    made.save()
    concern = ConcernCategory.objects.order_by("sort_order").first()
    client = client_for("officer_n1a")
    assert client.get(reverse("problems:edit", args=[made.pk])).status_code == 200
    response = client.post(
        reverse("problems:edit", args=[made.pk]),
        {"title": "Vjedhje në treg natën", "description": "", "concern_categories": [concern.pk]},
    )
    assert response.status_code == 302
    made.refresh_from_db()
    assert (made.title, made.area, made.routine_activity) == ("Vjedhje në treg natën", square, "Pas mesnate.")
    assert list(made.concern_categories.all()) == [concern]
    assert Change.objects.get(problem=made, what="changed").details["fields"] == [
        "title",
        "concern_categories",
    ]


def test_who_does_not_work_the_problem_cannot_edit_it(tree, client_for, problem):
    assert (
        client_for("strategy_coordinator").get(reverse("problems:edit", args=[problem.pk])).status_code == 403
    )
    services.close_problem(SYSTEM, problem=problem, outcome=Outcome.NOT_SOLVED, reason="x")
    response = client_for("officer_n1a").get(reverse("problems:edit", args=[problem.pk]))
    assert response.status_code == 302 and response.url == detail(problem)


@pytest.mark.parametrize("step", ["nonsense", "close"])
def test_a_step_is_posted_never_fetched_and_an_unknown_one_is_not_found(tree, client_for, problem, step):
    client = client_for("commander_n1")
    assert client.get(act(problem, step)).status_code == 405
    if step == "nonsense":
        assert client.post(act(problem, step)).status_code == 404
