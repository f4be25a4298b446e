"""A problem's case write-up as a PDF: every part from the records — the
team without a citizen's name, the sources, the triangle, the hypotheses,
the data panel's figures, the response, the assessment's counts and rate
ratio — in the reader's language; for those who may see the problem only,
in a number of queries that does not grow with the problem."""

import re
import subprocess
from datetime import date

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cpis.core.i18n import has_cyrillic
from cpis.forums.tests.factories import ForumFactory
from cpis.incidents.models import IncidentCategory
from cpis.partners.tests.factories import partner as make_partner
from cpis.problems.models import Assessment, HypothesisStatus, MemberKind, Side, Technique
from cpis.problems.services import actions, analysis, assessment, problems
from cpis.problems.services.problems import Found

from .assessment_helpers import RESPONSE, TARGET_BOX, WINDOW, Plan, place, plant, window_days

TODAY = date(2025, 1, 15)  # the after-window ended on 30 December 2024; the panel's 24 months hold it all
CITIZEN = "Drita Berisha"


@pytest.fixture(autouse=True)
def today():
    with time_machine.travel(f"{TODAY.isoformat()} 12:00 +01:00", tick=False):
        yield


@pytest.fixture
def client_for(client_for, settings):
    def make(name: str, language: str = "en"):
        client = client_for(name)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        return client

    return make


def url(problem) -> str:
    return reverse("problems:writeup", args=[problem.pk])


def text_of(pdf: bytes) -> str:
    """The PDF's text as poppler reads it, laid out as printed, spaces squeezed."""
    done = subprocess.run(
        ["pdftotext", "-layout", "-enc", "UTF-8", "-", "-"],  # noqa: S607 - the system's poppler-utils
        input=pdf,
        capture_output=True,
        check=True,
    )
    return re.sub(r"[ \t]+", " ", done.stdout.decode())


def add_work(tree, problem, actor, *, n: int = 1, seed: int = 0) -> None:
    """The triangle, hypotheses and actions of a worked problem, `n` of each."""
    school = make_partner(tree.n1a, name=f"Shkolla Naim Frashëri {seed}" if seed else "Shkolla Naim Frashëri")
    for k in range(n):
        analysis.add_triangle_entry(
            actor,
            problem=problem,
            side=Side.PLACE,
            description=f"The market's back yard {seed}-{k}",
            controller="Market manager",
        )
        hypothesis = analysis.add_hypothesis(actor, problem=problem, text=f"Break-ins follow closing {k}")
        analysis.set_hypothesis_status(
            actor,
            hypothesis=hypothesis,
            status=HypothesisStatus.SUPPORTED,
            evidence="Most incidents fall between 22:00 and 02:00.",
        )
        action = actions.add_action(
            actor,
            problem=problem,
            data=actions.ActionInput(
                title=f"Lock the market gates at night {k}",
                technique=Technique.CONTROL_ACCESS,
                due_on=date(2024, 6, 20),
                owner_partner=school,
            ),
        )
        actions.complete_action(
            actor, action=action, done_on=date(2024, 6, 28), evidence="Gates locked from 21:00, log kept."
        )


@pytest.fixture
def case(tree, problem, actor_for, officer_n1a):
    """A problem worked through SARA: sources, a team with a partner, a forum
    and a citizen, the triangle, a hypothesis, an action by the partner, and
    an assessment of a planted fall with displacement into the buffer."""
    actor = actor_for("officer_n1a")
    problem.incident_categories.set([IncidentCategory.objects.get(code="burglary")])
    problems.link_sources(
        actor, problem=problem, found=[Found(kind="hotspot", label="Hotspot cell at the market, 250 m")]
    )
    problems.add_team_member(
        actor,
        problem=problem,
        kind=MemberKind.PARTNER,
        partner=make_partner(tree.n1a, name="Tregu i qytetit"),
    )
    problems.add_team_member(
        actor,
        problem=problem,
        kind=MemberKind.FORUM,
        forum=ForumFactory(unit=tree.n1a, name="KLSP Mitrovica"),
    )
    problems.add_team_member(
        actor,
        problem=problem,
        kind=MemberKind.CITIZEN,
        citizen_name=CITIZEN,
        citizen_contact="+383 44 000 111",
        consent_on=date(2024, 5, 2),
        role=f"{CITIZEN}, stallholder",
    )
    analysis.add_triangle_entry(
        actor, problem=problem, side=Side.VICTIM, description="Stallholders", controller="Night watchman"
    )
    analysis.set_routine_activity(actor, problem=problem, text="Stalls left unlit after closing.")
    add_work(tree, problem, actor)
    plant(tree, Plan(target=(60, 20), buffer=(20, 60), control=(200, 200)))
    assessment.assess_problem(
        actor, problem=problem, response_date=RESPONSE, window_days=WINDOW, buffer_m=400
    )
    return problem


def test_the_writeup_has_every_part_from_the_records(case, client_for):
    response = client_for("commander_n1").get(url(case))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="problem-{case.pk}-writeup.pdf"'
    text = text_of(response.content)
    # The sections, in the shape of a Goldstein submission.
    positions = [
        text.index(f"\n{heading}\n")
        for heading in ("Summary", "Scanning", "Analysis", "Response", "Assessment", "History")
    ]
    assert positions == sorted(positions)
    assert "Methods and references" in text and "Bowers, K. J. and Johnson, S. D. (2003)" in text
    # Who, where, what.
    assert "Burglaries at the market" in text and "Night break-ins." in text
    assert "North › Station N1 › Sector A" in text
    assert "Arben Krasniqi" in text  # the owner
    assert "Tregu i qytetit (Partner)" in text and "KLSP Mitrovica (Forum)" in text
    assert "A citizen (consent given on 05/02/2024)" in text
    # Scanning and analysis.
    assert "Hotspot cell Hotspot cell at the market, 250 m" in text
    assert "Stallholders" in text and "Guardian: Night watchman" in text
    assert "Manager: Market manager" in text and "Stalls left unlit after closing." in text
    assert "Break-ins follow closing 0" in text and "What the data shows: Supported by the data" in text
    assert re.search(r"Incidents in the 24 months 80 480\b", text)  # 60 + 20 inside; the rest of N1 around
    assert "0 incidents in the target area with a known time; 80 with the time unknown." in text
    # The response: the technique with its group, the partner who owns it, its evidence.
    assert "Lock the market gates at night 0" in text
    assert "Control access to facilities (Increase the effort)" in text
    assert "Shkolla Naim Frashëri" in text and "Gates locked from 21:00, log kept." in text
    # The assessment: the six counts, the rate ratio with its interval, the WDQ's reading.
    found = Assessment.objects.get(problem=case)
    assert re.search(r"Target area 60 20\b", text)
    assert re.search(r"Buffer 20 60\b", text)
    assert re.search(r"Control area 200 200\b", text)
    interval = (
        f"{found.rate_ratio:.2f} (95 % interval {found.rate_ratio_low:.2f} to {found.rate_ratio_high:.2f})."
    )
    assert interval in text.replace("\n", " ")
    assert "incidents in the target area fell by 67 % (rate ratio 0.33)" in text.replace("\n", " ")
    assert "Displacement into the buffer" in text
    assert "Provisional" not in text
    assert "Incidents per week before and after the response date" in text  # the chart's caption
    assert "Control area" in text[text.index("Week by week") :]  # the chart's own labels are drawn
    # The history in words; no citizen's name or contact anywhere.
    assert "Opened by" in text and "A citizen joined the team" in text
    assert CITIZEN not in text and "+383 44 000 111" not in text


def test_the_data_panel_counts_what_the_reader_may_see(case, client_for):
    """The sector officer sees the incidents of sector A only: none around it."""
    text = text_of(client_for("officer_n1a").get(url(case)).content)
    assert re.search(r"Incidents in the 24 months 80 0\b", text)
    assert "You may see the records of 1 of its 2 sectors" in text


def test_the_writeup_is_in_the_readers_language_with_serbian_cyrillic(case, client_for):
    text = text_of(client_for("commander_n1", "sr").get(url(case)).content)
    assert "Север › Станица Н1 › Сектор А" in text
    assert "\nАнализа\n" in text and "\nИсторија\n" in text
    assert "Burglaries at the market" in text  # written text stays as written
    assert has_cyrillic(text) and CITIZEN not in text


def test_a_problem_with_nothing_yet_still_has_its_write_up(tree, problem, client_for):
    text = text_of(client_for("leader_n1a").get(url(problem)).content)
    assert "No source linked: the problem was opened by hand." in text
    assert "No hypotheses yet." in text and "No actions yet." in text
    assert text.count("No assessment yet.") == 2  # in the summary and in its section
    assert "Nothing recorded on this side yet." in text


def test_a_drawn_target_area_is_described_by_its_size_and_centre(tree, actor_for, client_for):
    box = {
        "type": "Polygon",
        "coordinates": [[[21.0, 42.5], [21.02, 42.5], [21.02, 42.52], [21.0, 42.52], [21.0, 42.5]]],
    }
    drawn = problems.open_problem(actor_for("commander_n1"), unit=tree.n1a, title="Gara", area=box)
    text = text_of(client_for("commander_n1").get(url(drawn)).content).replace("\n", " ")
    assert re.search(
        r"The area drawn for the problem \(3\.6\d km²\), centred on 42\.51000, 21\.01000\.", text
    )


def test_a_provisional_assessment_says_so(tree, problem, actor_for, client_for):
    problem.incident_categories.set([IncidentCategory.objects.get(code="burglary")])
    response = date(2024, 12, 15)
    place(tree.n1a, TARGET_BOX, window_days(40, 5, seed=3, response=response), seed=3)
    assessment.assess_problem(
        actor_for("officer_n1a"), problem=problem, response_date=response, window_days=182, buffer_m=400
    )
    text = text_of(client_for("officer_n1a").get(url(problem)).content).replace("\n", " ")
    assert "The assessment is provisional: its after-window has not ended." in text
    assert "Provisional: the after-window ends on 06/15/2025" in text


def test_long_text_people_wrote_runs_over_pages(tree, problem, actor_for, client_for):
    actor = actor_for("officer_n1a")
    analysis.set_routine_activity(actor, problem=problem, text="Night\tafter night.\r\n" * 400)
    action = actions.add_action(
        actor,
        problem=problem,
        data=actions.ActionInput(
            title="Light the back yard",
            technique=Technique.NATURAL_SURVEILLANCE,
            due_on=date(2024, 6, 1),
            owner_partner=make_partner(tree.n1a, name="Komuna"),
        ),
    )
    actions.complete_action(actor, action=action, done_on=date(2024, 6, 2), evidence="Lamp fitted. " * 700)
    response = client_for("officer_n1a").get(url(problem))
    text = text_of(response.content)
    assert text.count("Night after night.") == 400
    assert text.count("Lamp") == text.count("fitted.") == 700  # wrapped, never cut
    assert "Assist natural surveillance (Increase the risks)" in text


def test_who_sees_the_problem_reads_it_and_nobody_else(case, client_for):
    assert client_for("director_north").get(url(case)).status_code == 200  # sees it, does not work it
    assert client_for("commander_s1").get(url(case)).status_code == 404
    assert client_for("officer_n1a").post(url(case)).status_code == 405


def test_the_overview_and_the_assessment_tab_link_to_it(case, client_for):
    client = client_for("officer_n1a")
    for tab in ("problems:detail", "problems:assessment"):
        page = client.get(reverse(tab, args=[case.pk])).content.decode()
        assert f'href="{url(case)}"' in page and "Case write-up (PDF)" in page, tab


def test_the_number_of_queries_does_not_grow_with_the_problem(case, tree, actor_for, client_for):
    client = client_for("officer_n1a")
    client.get(url(case))  # sessions, the sector index: what the first request of a process reads

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url(case)).status_code == 200
        return len(captured)

    before = queries()
    add_work(tree, case, actor_for("officer_n1a"), n=5, seed=1)
    problems.add_team_member(
        actor_for("officer_n1a"), problem=case, kind=MemberKind.FORUM, forum=ForumFactory(unit=tree.n1)
    )
    assert queries() == before
    assert before <= 40
