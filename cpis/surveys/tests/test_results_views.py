"""The staff results pages: the dashboard, a place's survey page, the panel on a
sector's profile — scoped by place, withholding small figures, with change and gaps."""

import datetime as dt
import json
import re
from functools import partial

import pytest
from django.urls import reverse
from django.utils import translation

from cpis.surveys import charts
from cpis.surveys.models import WaveStatus
from cpis.surveys.selectors import results
from cpis.surveys.stats import estimates

from .responses_factories import add_responses, wave_of

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


make_wave = partial(wave_of, status=WaveStatus.CLOSED)


def answer(wave, sector, n, *, confidence, community="", score=6):
    """n responses in `sector`, the first `confidence` of them agreeing (5), the rest not (2)."""
    add_responses(
        wave,
        sector,
        n,
        lambda i: {"confidence": 5 if i < confidence else 2, "safety_score": score, "safe_dark": 4},
        community=community,
    )


@pytest.fixture
def surveyed(populated, version):
    """A national wave: 20 answers in N1A (16 confident), 7 in N1B (3 confident: under
    the minimum of 10), 30 in S1A."""
    tree = populated
    wave = make_wave(tree, version)
    answer(wave, tree.n1a, 20, confidence=16)
    answer(wave, tree.n1b, 7, confidence=3)
    answer(wave, tree.s1a, 30, confidence=9)
    return wave


def _row(html: str, element_id: str) -> str:
    match = re.search(rf'<tr id="{element_id}"[^>]*>(.*?)</tr>', html, re.S)
    assert match, element_id
    return match.group(1)


def _page(client, url, **params):
    response = client.get(url, params, **EN)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


# --- the dashboard ----------------------------------------------------------------------


def test_the_dashboard_shows_the_places_the_actor_may_view_and_withholds_small_figures(
    surveyed, tree, client_for
):
    html = _page(client_for("commander_n1"), reverse("surveys:results"), item="confidence")
    assert 'role="alert"' not in html
    assert _row(html, f"place-{tree.n1a.pk}").count("80 %") == 1
    withheld = _row(html, f"place-{tree.n1b.pk}")
    assert "fewer than 10 answers" in withheld
    assert "43 %" not in html  # N1B's 3 of 7, withheld everywhere on the page
    assert f'id="place-{tree.s1a.pk}"' not in html  # another station's sector
    figures = json.loads(
        re.search(r'<script id="map-data" type="application/json">(.*?)</script>', html).group(1)
    )
    assert set(figures["sectors"]) == {str(tree.n1a.pk), str(tree.n1b.pk)}
    assert figures["sectors"][str(tree.n1b.pk)] == {
        "colour": None,
        "text": "fewer than 10 answers",
        "withheld": True,
    }
    assert figures["sectors"][str(tree.n1a.pk)]["colour"] == charts.RAMP[4]
    assert f'data-sectors-url="{reverse("api:sectors")}?within_id={tree.root.pk}"' not in html
    assert f"within_id={tree.n1.pk}" in html


def test_the_dashboard_legend_says_what_the_colour_means(surveyed, client_for):
    html = _page(client_for("directorate"), reverse("surveys:results"), item="safety_score")
    assert "Colour: Mean score from 0 to 10." in html
    assert "8.0–10.0" in html  # the top class of a 0–10 mean
    html = _page(client_for("directorate"), reverse("surveys:results"), item="confidence")
    assert "Colour: Share who agree or strongly agree, in per cent." in html
    assert "80–100 %" in html
    assert "Withheld: fewer than 10 answers (hatched)" in html


def test_the_dashboard_toggles_the_map_to_the_small_area_estimate_with_its_label(surveyed, client_for):
    client = client_for("directorate")
    first = _page(client, reverse("surveys:results"))  # the newest wave, its first headline item
    assert 'role="alert"' not in first
    assert '<h2 id="item-title">I feel safe walking alone in this area after dark.</h2>' in first
    direct = _page(client, reverse("surveys:results"), item="confidence")
    assert "Map of the sectors: direct estimate" in direct
    shrunk = _page(client, reverse("surveys:results"), item="confidence", estimate="small_area")
    assert "Map of the sectors: model-based (small-area) estimate" in shrunk


def test_the_dashboard_shows_stations_and_the_country_at_their_level(surveyed, tree, client_for):
    html = _page(client_for("directorate"), reverse("surveys:results"), item="confidence", level="station")
    assert f'id="place-{tree.n1.pk}"' in html and f'id="place-{tree.s1.pk}"' in html
    html = _page(client_for("commander_n1"), reverse("surveys:results"), item="confidence", level="country")
    assert f'id="place-{tree.root.pk}"' not in html  # the country is not the commander's to view


def test_a_wave_outside_the_actors_places_is_not_found(tree, version, client_for):
    south = make_wave(tree, version, place=tree.s1, name="South")
    answer(south, tree.s1a, 12, confidence=6)
    response = client_for("commander_n1").get(reverse("surveys:results"), {"wave": south.pk})
    assert response.status_code == 404
    assert client_for("commander_s1").get(reverse("surveys:results"), {"wave": south.pk}).status_code == 200


def test_the_dashboard_is_not_for_those_who_see_no_policing_records(surveyed, client_for):
    assert client_for("standards").get(reverse("surveys:results")).status_code == 404


def test_bad_choices_show_an_error_and_change_nothing(surveyed, client_for):
    response = client_for("directorate").get(reverse("surveys:results"), {"item": "nonsense"}, **EN)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Select a valid choice" in html
    assert "I feel safe walking alone in this area after dark." in html  # the default item


def test_without_any_wave_the_dashboard_says_so(tree, client_for):
    html = _page(client_for("commander_n1"), reverse("surveys:results"))
    assert "No survey wave in your places has counted answers yet." in html


# --- change and gaps --------------------------------------------------------------------


@pytest.fixture
def two_waves(tree, version):
    before = make_wave(tree, version, name="2025", starts=dt.date(2025, 10, 1))
    now = make_wave(tree, version, name="2026")
    answer(before, tree.n1a, 50, confidence=20)
    answer(now, tree.n1a, 50, confidence=35)
    answer(now, tree.n1b, 30, confidence=6, community="serb")
    answer(now, tree.n1b, 30, confidence=24, community="albanian")
    return before, now


def test_the_change_since_the_previous_wave_shows_with_its_interval_and_marker(two_waves, tree, client_for):
    _before, now = two_waves
    expected = estimates.difference(35, 50, 20, 50)
    with translation.override("en"):
        interval = charts.difference_interval(expected.low, expected.high, True)
    html = _page(client_for("leader_n1a"), reverse("surveys:results"), wave=now.pk, item="confidence")
    row = _row(html, f"place-{tree.n1a.pk}")
    assert "+30 pp" in row and interval in row
    assert "the 95 % interval leaves out zero" in row
    assert "Change since 2025" in html


def test_the_gap_between_a_community_and_the_rest_shows_with_its_interval(two_waves, tree, client_for):
    _before, now = two_waves
    t = results.compute(now)
    [gap] = [g for g in results.community_gaps(t, "station", tree.n1.pk, "serb") if g.item == "confidence"]
    with translation.override("en"):
        interval = charts.difference_interval(gap.ci_low, gap.ci_high, True)
    url = reverse("surveys:place_results", args=[now.pk, tree.n1.pk])
    html = _page(client_for("commander_n1"), url, item="confidence")
    serb = re.search(r"<th scope=\"row\">Serb</th>(.*?)</tr>", html, re.S).group(1)
    assert "20 %" in serb and "−60 pp" in serb and interval in serb
    assert "the 95 % interval leaves out zero" in serb


# --- a place's page ---------------------------------------------------------------------


def test_a_sectors_page_lists_every_item_with_change_and_links_what_was_done(two_waves, tree, client_for):
    before, now = two_waves
    url = reverse("surveys:place_results", args=[now.pk, tree.n1a.pk])
    html = _page(client_for("leader_n1a"), url)
    row = _row(html, "item-confidence")
    assert "70 %" in row and "+30 pp" in row
    assert "Model-based (small-area) estimate" in html
    assert _row(html, "item-rely").count("fewer than 10 answers") == 1  # nobody answered it
    activity = reverse("problems:sector_activity", args=[tree.n1a.pk])
    since = (before.ends_on + dt.timedelta(days=1)).isoformat()
    assert f'hx-get="{activity}?since={since}&amp;until={now.ends_on.isoformat()}"' in html
    assert f'<a href="{activity}?since={since}' in html  # without script, a link


def test_a_place_page_outside_the_actors_places_is_not_found(surveyed, tree, client_for):
    url = reverse("surveys:place_results", args=[surveyed.pk, tree.n1a.pk])
    assert client_for("commander_s1").get(url).status_code == 404
    assert client_for("standards").get(url).status_code == 404
    assert client_for("officer_n1a").get(url).status_code == 200


def test_a_withheld_sector_shows_no_figure_on_its_page(surveyed, tree, client_for):
    url = reverse("surveys:place_results", args=[surveyed.pk, tree.n1b.pk])
    html = _page(client_for("commander_n1"), url)
    assert "43 %" not in html
    assert "fewer than 10 answers" in _row(html, "item-confidence")


def test_a_station_page_uses_the_same_template_without_small_areas(surveyed, tree, client_for):
    url = reverse("surveys:place_results", args=[surveyed.pk, tree.n1.pk])
    html = _page(client_for("commander_n1"), url)
    assert "Survey results of Station N1" in html
    assert "Model-based (small-area) estimate" not in html


def test_the_latest_page_of_a_place_goes_to_the_newest_wave(two_waves, tree, client_for):
    _before, now = two_waves
    response = client_for("leader_n1a").get(reverse("surveys:place_latest", args=[tree.n1a.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("surveys:place_results", args=[now.pk, tree.n1a.pk])


# --- the panel on the sector's profile ----------------------------------------------------


def test_the_sector_panel_shows_the_headline_items_with_a_link_to_the_full_page(two_waves, tree, client_for):
    _before, now = two_waves
    client = client_for("officer_n1a")
    url = reverse("surveys:sector_panel", args=[tree.n1a.pk])
    fragment = client.get(url, HTTP_HX_REQUEST="true", **EN).content.decode()
    assert fragment.lstrip().startswith('<section id="sector-survey"')
    assert "I feel safe walking alone in this area after dark." in fragment
    assert "+30 pp" in _row(fragment, "item-confidence")
    assert reverse("surveys:place_results", args=[now.pk, tree.n1a.pk]) in fragment
    assert "issue_text" not in fragment and "Tell us more" not in fragment
    page = client.get(url, **EN).content.decode()
    assert "<html" in page and 'id="sector-survey"' in page


def test_the_sector_panel_is_not_for_another_station(surveyed, tree, client_for):
    url = reverse("surveys:sector_panel", args=[tree.n1a.pk])
    assert client_for("commander_s1").get(url).status_code == 404


def test_the_sector_profile_loads_the_survey_panel(tree, client_for):
    html = client_for("leader_n1a").get(reverse("organisation:sector", args=[tree.n1a.pk])).content.decode()
    assert f'hx-get="{reverse("surveys:sector_panel", args=[tree.n1a.pk])}"' in html


def test_numbers_follow_the_readers_language(surveyed, tree, client_for):
    url = reverse("surveys:place_results", args=[surveyed.pk, tree.n1a.pk])
    client = client_for("leader_n1a")
    english = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    albanian = client.get(url, HTTP_ACCEPT_LANGUAGE="sq").content.decode()
    assert "<strong>6.0</strong>" in _row(english, "item-safety_score")  # a mean, one decimal
    assert "<strong>6,0</strong>" in _row(albanian, "item-safety_score")


def test_a_sector_shows_its_small_area_estimate_beside_the_direct_one(tree, version, client_for):
    from cpis.organisation.models import UnitKind
    from cpis.organisation.tests.factories import UnitFactory, square

    more = [
        UnitFactory(parent=station, code=f"x{k}", kind=UnitKind.SECTOR, boundary=square(22.0 + k * 0.1, 42.5))
        for k, station in enumerate([tree.n1, tree.n1, tree.n1, tree.s1, tree.s1, tree.s1])
    ]
    wave = make_wave(tree, version)
    for k, sector in enumerate([tree.n1a, tree.n1b, tree.s1a, *more]):
        answer(wave, sector, 12 + 3 * k, confidence=3 + 2 * k)
    t = results.compute(wave)
    [_direct, shrunk] = results.results(t, "sector", places=[tree.n1a.pk], items=["confidence"])
    assert shrunk.method == "small_area" and not shrunk.suppressed
    with translation.override("en"):
        expected = charts.figure(shrunk.estimate, True), charts.interval(shrunk.ci_low, shrunk.ci_high, True)
    html = _page(client_for("leader_n1a"), reverse("surveys:place_results", args=[wave.pk, tree.n1a.pk]))
    cells = re.findall(r'<td class="num">(.*?)</td>', _row(html, "item-confidence"))
    assert cells[4:6] == list(expected)  # after the direct estimate, its interval, n and effective n
    assert "Model-based (small-area) estimate" in html


def test_the_dashboard_links_the_survey_pages_from_the_readers_own_place(surveyed, tree, client_for):
    """A national wave: the directorate's link goes to the country's page, a station
    commander's to the station's, which they may open (not the country's, which they may not)."""
    for persona, place in (("directorate", tree.root), ("commander_n1", tree.n1)):
        client = client_for(persona)
        html = _page(client, reverse("surveys:results"), item="confidence")
        link = re.search(r'<a href="([^"]+)" id="place-pages">', html).group(1)
        assert link == reverse("surveys:place_latest", args=[place.pk])
        assert client.get(link, **EN).status_code in {200, 302}
        assert client.get(reverse("surveys:place_latest", args=[tree.root.pk]), **EN).status_code == (
            302 if persona == "directorate" else 404
        )
