"""The public sector page's "you said, we did": the latest survey's headline
figures in plain words, suppressed below the wave's n (the station's figure in
their place, labelled as the station's), never free text; beside them what the
police did since; and the invitation while a survey is open."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from cpis.forums.models import MeetingStatus
from cpis.forums.tests.factories import ForumFactory, MeetingFactory
from cpis.portal.selectors import place_url
from cpis.problems.models import Outcome
from cpis.problems.services import problems as problem_services
from cpis.problems.services import summaries as summary_services
from cpis.surveys.models import QuestionnaireVersion, Response, Wave, WaveStatus

SECRET = "Agim at number 12 sells drugs"


@pytest.fixture
def version(db):
    return QuestionnaireVersion.objects.get(questionnaire__code="safety-and-trust", status="published")


def make_wave(tree, version, *, starts, status=WaveStatus.CLOSED, days=30, min_n=10):
    return Wave.objects.create(
        name=f"Wave {starts}",
        version=version,
        place=tree.root,
        starts_on=starts,
        ends_on=starts + dt.timedelta(days=days),
        status=status,
        min_n=min_n,
    )


def answer(wave, sector, n, *, safe, start=0):
    Response.objects.bulk_create(
        Response(
            version=wave.version,
            wave=wave,
            sector=sector,
            channel="portal",
            answers={"safe_dark": 5 if i < safe else 1, "top_issue": "drugs", "issue_text": SECRET},
            text_review="cleared",
            submitted_at=timezone.now(),
            idempotency_key=f"y:{wave.pk}:{sector.pk}:{start + i}",
        )
        for i in range(n)
    )


def page(client, sector, language="en"):
    response = client.get(place_url(sector), HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    return response.content.decode()


def section(html):
    return html.split('id="you-said"')[1]


@pytest.fixture
def sixty_days_ago():
    return timezone.localdate() - dt.timedelta(days=60)


def test_a_sector_with_enough_answers_reads_its_figures_in_plain_words_and_no_free_text(
    tree, version, client, sixty_days_ago
):
    before = make_wave(tree, version, starts=sixty_days_ago - dt.timedelta(days=365))
    answer(before, tree.n1a, 50, safe=15)
    wave = make_wave(tree, version, starts=sixty_days_ago)
    answer(wave, tree.n1a, 50, safe=35)
    html = section(page(client, tree.n1a))
    assert "7 in 10 people say they feel safe walking alone in their area after dark." in html
    assert "(between 5 and 9 in 10)" in html  # 0.70 [0.56, 0.81], rounded outwards
    assert "More people say so than in the previous survey" in html
    assert "Drugs (more than 9 in 10 chose it)" in html
    assert "Based on the answers of 50 people." in html
    assert SECRET not in html and "Agim" not in page(client, tree.n1a)


def test_a_sector_with_too_few_answers_shows_no_figure_of_its_own_and_its_stations_labelled(
    tree, version, client, sixty_days_ago
):
    wave = make_wave(tree, version, starts=sixty_days_ago, min_n=10)
    answer(wave, tree.n1a, 9, safe=9)  # every one of them: "more than 9 in 10"
    answer(wave, tree.n1b, 30, safe=3, start=100)
    html = section(page(client, tree.n1a))
    assert "Too few people in this sector have answered yet to show its figures." in html
    assert "more than 9 in 10 people" not in html and " 9 people" not in html
    assert "Figures for the whole area of the station, Station N1:" in html
    assert "3 in 10 people say they feel safe walking alone in their area after dark." in html  # 12 of 39
    assert "Based on the answers of 39 people." in html
    # The other sector has enough answers of its own: no station figures there.
    other = section(page(client, tree.n1b))
    assert "1 in 10 people say they feel safe" in other and "whole area of the station" not in other


def test_the_page_reads_the_survey_in_a_bounded_number_of_queries(
    tree, version, client, sixty_days_ago, django_assert_max_num_queries
):
    before = make_wave(tree, version, starts=sixty_days_ago - dt.timedelta(days=365))
    answer(before, tree.n1b, 50, safe=15)
    wave = make_wave(tree, version, starts=sixty_days_ago)
    answer(wave, tree.n1a, 5, safe=5)
    answer(wave, tree.n1b, 50, safe=5, start=100)
    page(client, tree.n1a)  # the wave's results are computed once, then cached
    # The station's figures too: none per item. The neighbourhood page's other sections
    # (team, priorities, meetings, news, solved problems, crime and concern figures) read
    # a fixed number of queries besides.
    with django_assert_max_num_queries(29):
        page(client, tree.n1a)


def test_a_station_with_too_few_answers_too_shows_nothing_but_says_so(tree, version, client, sixty_days_ago):
    wave = make_wave(tree, version, starts=sixty_days_ago, min_n=10)
    answer(wave, tree.n1a, 4, safe=4)
    answer(wave, tree.n1b, 4, safe=0, start=100)
    html = section(page(client, tree.n1a))
    assert "Too few people in this sector have answered yet" in html
    assert " in 10 people" not in html and "Based on the answers" not in html


def test_beside_the_figures_what_the_police_did_since_the_survey_began(
    tree, version, client, actor_for, sixty_days_ago
):
    wave = make_wave(tree, version, starts=sixty_days_ago)
    answer(wave, tree.n1a, 20, safe=10)
    problem = problem_services.open_problem(actor_for("leader_n1a"), unit=tree.n1a, title="Market thefts")
    problem = problem_services.close_problem(
        actor_for("leader_n1a"), problem=problem, outcome=Outcome.SOLVED, reason="Lit."
    )
    summary_services.save_summary(
        actor_for("leader_n1a"),
        problem=problem,
        title_sq="Tregu u ndriçua",
        title_sr="Пијаца је осветљена",
        body_sq="Banorët dhe policia.",
        body_sr="Становници и полиција.",
    )
    summary_services.submit_summary(actor_for("leader_n1a"), problem=problem)
    summary = summary_services.review_summary(actor_for("commander_n1"), problem=problem, approve=True)
    forum = ForumFactory(unit=tree.n1a, name="LPSC Sektori A")
    held = MeetingFactory(
        forum=forum,
        status=MeetingStatus.HELD,
        minutes_published=True,
        starts_at=timezone.now() - dt.timedelta(days=10),
    )
    old = MeetingFactory(
        forum=forum,
        status=MeetingStatus.HELD,
        minutes_published=True,
        starts_at=timezone.now() - dt.timedelta(days=400),
    )
    html = section(page(client, tree.n1a))
    we_did = html.split('id="we-did"')[1]
    assert reverse("portal:solved_problem", args=[summary.pk]) in we_did
    assert reverse("forums_public:minutes", args=[held.pk]) in we_did
    assert reverse("forums_public:minutes", args=[old.pk]) not in we_did


def test_an_open_survey_invites_the_sector_to_take_part(tree, version, client):
    today = timezone.localdate()
    make_wave(tree, version, starts=today - dt.timedelta(days=3), status=WaveStatus.PLANNED)
    assert 'id="survey-invitation"' not in section(page(client, tree.n1a))  # planned: not yet
    Wave.objects.update(status=WaveStatus.OPEN)
    html = section(page(client, tree.n1a))
    assert 'id="survey-invitation"' in html
    assert "No survey results for this sector yet." not in html
    Wave.objects.update(status=WaveStatus.CLOSED)
    assert 'id="survey-invitation"' not in section(page(client, tree.n1a))


@pytest.mark.parametrize("language", ["sq", "sr", "sr-latn", "en"])
def test_the_section_reads_in_every_language(tree, version, client, language, sixty_days_ago):
    wave = make_wave(tree, version, starts=sixty_days_ago)
    answer(wave, tree.n1a, 20, safe=14)
    html = section(page(client, tree.n1a, language))
    assert 'data-item="safe_dark"' in html and SECRET not in html
