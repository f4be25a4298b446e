"""The waves' pages: the list scoped by place (a regional director sees the
region's waves and the national one, never another region's), a wave planned
and run through its pages, refused margins shown with their reason, and the
interviewers' sheets as a page to print and as a PDF holding the start points'
settlements, in the language asked for."""

import subprocess
from datetime import date

import pytest

from cpis.organisation.tests.factories import MunicipalityFactory, SettlementFactory
from cpis.surveys.models import Margin, StartPoint, Wave, WaveStatus
from cpis.surveys.services import sampling
from cpis.surveys.services import waves as services
from cpis.surveys.services.waves import WaveInput

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def make_wave(actor, place, version, name, targets=None) -> Wave:
    wave = services.create_wave(
        actor,
        data=WaveInput(
            name=name,
            version=version,
            place=place,
            starts_on=date(2026, 4, 1),
            ends_on=date(2026, 4, 30),
            seed=5,
        ),
    )
    if targets:
        services.set_targets(actor, wave=wave, targets=targets)
    return wave


@pytest.fixture
def waves(tree, actor_for, version):
    directorate = actor_for("directorate")
    return {
        "national": make_wave(directorate, tree.root, version, "National wave"),
        "north": make_wave(directorate, tree.north, version, "North wave"),
        "south": make_wave(directorate, tree.south, version, "South wave"),
    }


# --- the list -----------------------------------------------------------------------------------


def test_a_regional_director_sees_only_the_waves_of_the_region_and_above(client_for, waves):
    client = client_for("director_north")
    body = client.get("/staff/surveys/waves/", **EN).content.decode()
    assert "North wave" in body and "National wave" in body
    assert "South wave" not in body
    assert "Plan a wave" in body
    assert client.get(f"/staff/surveys/waves/{waves['south'].pk}/").status_code == 404
    assert client.get(f"/staff/surveys/waves/{waves['north'].pk}/").status_code == 200


def test_a_sector_officer_reads_the_waves_but_plans_none(client_for, waves):
    client = client_for("officer_n1a")
    listing = client.get("/staff/surveys/waves/", **EN)
    assert listing.status_code == 200 and b"Plan a wave" not in listing.content
    assert client.get("/staff/surveys/waves/new/").status_code == 403
    page = client.get(f"/staff/surveys/waves/{waves['north'].pk}/", **EN)
    assert page.status_code == 200
    assert b"Share a total" not in page.content and b"Open the wave" not in page.content
    assert client.get(f"/staff/surveys/waves/{waves['north'].pk}/edit/").status_code == 403
    assert client.post(f"/staff/surveys/waves/{waves['north'].pk}/open/").status_code == 403


def test_the_national_wave_is_read_only_for_a_regional_director(client_for, waves):
    client = client_for("director_north")
    page = client.get(f"/staff/surveys/waves/{waves['national'].pk}/", **EN)
    assert page.status_code == 200 and b"Share a total" not in page.content
    assert (
        client.post(f"/staff/surveys/waves/{waves['national'].pk}/allocate/", {"total": 300}).status_code
        == 403
    )


def test_who_sees_no_survey_gets_404(client_for, waves):
    client = client_for("standards")
    assert client.get("/staff/surveys/waves/").status_code == 404
    assert client.get("/staff/surveys/waves/new/").status_code == 404


# --- planning and running through the pages ---------------------------------------------------------


def test_a_regional_director_plans_and_runs_a_wave_through_the_pages(client_for, tree, version):
    client = client_for("director_north")
    form = client.get("/staff/surveys/waves/new/", **EN).content.decode()
    assert "Region South" not in form and tree.south.name_en not in form  # only the region's places
    response = client.post(
        "/staff/surveys/waves/new/",
        {
            "name": "North, spring",
            "version": version.pk,
            "place": tree.north.pk,
            "starts_on": "2026-04-01",
            "ends_on": "2026-04-30",
            "min_n": 10,
            "seed": 99,
            "total": 100,
        },
    )
    wave = Wave.objects.get(name="North, spring")
    assert response["Location"].endswith(f"/staff/surveys/waves/{wave.pk}/")
    assert sum(wave.targets.values_list("target", flat=True)) == 100

    response = client.post(
        f"/staff/surveys/waves/{wave.pk}/targets/", {f"sector_{tree.n1a.pk}": 70, f"sector_{tree.n1b.pk}": ""}
    )
    assert response.status_code == 302
    assert dict(wave.targets.values_list("sector_id", "target")) == {tree.n1a.pk: 70}

    client.post(
        f"/staff/surveys/waves/{wave.pk}/margins/",
        {"dimension": "gender", "share_female": "0.51", "share_male": "0.49"},
    )
    assert dict(Margin.objects.filter(wave=wave).values_list("category", "share")) == {
        "female": 0.51,
        "male": 0.49,
    }

    assert client.post(f"/staff/surveys/waves/{wave.pk}/draw/", {"per_point": 5}).status_code == 302
    assert StartPoint.objects.filter(wave=wave).count() == 14
    assert client.post(f"/staff/surveys/waves/{wave.pk}/open/").status_code == 302
    assert client.post(f"/staff/surveys/waves/{wave.pk}/close/").status_code == 302
    wave.refresh_from_db()
    assert wave.status == WaveStatus.CLOSED
    page = client.get(f"/staff/surveys/waves/{wave.pk}/", **EN).content
    for offer in (b"Open the wave", b"Share a total", b"Draw the start points"):
        assert offer not in page


def test_margins_that_do_not_add_up_are_shown_with_the_reason_and_nothing_is_saved(client_for, waves):
    wave = waves["north"]
    response = client_for("director_north").post(
        f"/staff/surveys/waves/{wave.pk}/margins/",
        {"dimension": "gender", "share_female": "0.6", "share_male": "0.3"},
        **EN,
    )
    assert response.status_code == 400
    assert "The shares of Gender add up to 0.900: they must add up to 1." in response.content.decode()
    assert not Margin.objects.filter(wave=wave).exists()


def test_a_closed_wave_cannot_be_opened_again_from_its_page(client_for, tree, actor_for, version):
    directorate = actor_for("directorate")
    wave = make_wave(directorate, tree.north, version, "Done", targets={tree.n1a.pk: 30})
    services.open_wave(directorate, wave=wave)
    services.close_wave(directorate, wave=wave)
    response = client_for("directorate").post(f"/staff/surveys/waves/{wave.pk}/open/", **EN)
    assert response.status_code == 400
    assert b"can no longer be changed or opened again" in response.content
    assert Wave.objects.get(pk=wave.pk).status == WaveStatus.CLOSED


def test_an_open_wave_keeps_its_questionnaire_and_place_on_its_form(client_for, tree, actor_for, version):
    directorate = actor_for("directorate")
    wave = make_wave(directorate, tree.north, version, "Open one", targets={tree.n1a.pk: 30})
    services.open_wave(directorate, wave=wave)
    client = client_for("directorate")
    form = client.get(f"/staff/surveys/waves/{wave.pk}/edit/", **EN).content.decode()
    assert 'name="place"' in form and "disabled" in form
    response = client.post(
        f"/staff/surveys/waves/{wave.pk}/edit/",
        {
            "name": "Open one, longer",
            "version": version.pk,
            "place": tree.south.pk,  # ignored: the field is locked
            "starts_on": "2026-04-01",
            "ends_on": "2026-05-15",
            "min_n": 12,
            "seed": 5,
        },
    )
    assert response.status_code == 302
    wave.refresh_from_db()
    assert (wave.name, wave.place, wave.ends_on) == ("Open one, longer", tree.north, date(2026, 5, 15))


# --- the interviewers' sheets ----------------------------------------------------------------------------


@pytest.fixture
def drawn(tree, actor_for, version):
    municipality = MunicipalityFactory(name_sq="Graçanicë", name_sr="Грачаница", name_en="Gračanica")
    for name_sq, name_sr, lon, lat, population in (
        ("Llapnasellë", "Лапље Село", 21.05, 42.55, 5_000),
        ("Ajvali", "Ајвалија", 21.02, 42.58, 3_000),
        ("Sllovi", "Слово", 21.15, 42.55, 2_000),
    ):
        SettlementFactory(
            municipality=municipality,
            name_sq=name_sq,
            name_sr=name_sr,
            lon=lon,
            lat=lat,
            population=population,
        )
    directorate = actor_for("directorate")
    wave = make_wave(
        directorate, tree.north, version, "Sheets wave", targets={tree.n1a.pk: 30, tree.n1b.pk: 10}
    )
    sampling.draw_start_points(directorate, wave=wave)
    return wave


def _pdf_text(content: bytes) -> str:
    """The PDF's text as poppler reads it, lines wrapped in the PDF joined again."""
    assert content.startswith(b"%PDF")
    done = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-", "-"],  # noqa: S607 - the system's poppler-utils
        input=content,
        capture_output=True,
        check=True,
    )
    return " ".join(done.stdout.decode().split())


def test_the_sheets_of_a_station_as_a_pdf_hold_every_sectors_start_points(client_for, tree, drawn):
    response = client_for("commander_n1").get(
        f"/staff/surveys/waves/{drawn.pk}/sheets/{tree.n1.pk}.pdf?lang=en"
    )
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = _pdf_text(response.content)
    settlements = set(StartPoint.objects.filter(wave=drawn).values_list("settlement__name_sq", flat=True))
    assert "Sllovi" in settlements and len(settlements) >= 2  # N1B's one settlement, and N1A's
    for name in settlements:
        assert name in text
    assert "Sector A" in text and "Sector B" in text
    assert "every third door on the left" in text
    assert "Tally" in text and "Interviews to make" in text


def test_the_sheets_print_in_serbian_latin_when_asked(client_for, tree, drawn):
    response = client_for("officer_n1a").get(
        f"/staff/surveys/waves/{drawn.pk}/sheets/{tree.n1a.pk}.pdf?lang=sr-latn"
    )
    assert response.status_code == 200
    text = _pdf_text(response.content)
    assert "Sektor A" in text  # the sector's Cyrillic name, in Latin letters
    assert "Laplje Selo" in text
    assert "Слово" not in text and "Sllovi" not in text  # another sector's settlement is not on this sheet


def test_the_sheets_as_a_page_to_print(client_for, tree, drawn):
    response = client_for("officer_n1a").get(
        f"/staff/surveys/waves/{drawn.pk}/sheets/{tree.n1a.pk}/?lang=sr", **EN
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Лапље Село" in body and "Сектор А" in body
    assert body.count('class="sheet"') == 1
    point = StartPoint.objects.filter(wave=drawn, sector=tree.n1a).first()
    assert f"{point.lat:.5f}, {point.lon:.5f}" in body
    assert "openstreetmap.org" in body


def test_sheets_are_for_those_who_collect_or_run_the_wave_there(client_for, tree, drawn):
    # A sector officer prints their sector's sheets, not the neighbouring sector's or the station's.
    officer = client_for("officer_n1a")
    assert officer.get(f"/staff/surveys/waves/{drawn.pk}/sheets/{tree.n1b.pk}/").status_code == 404
    assert officer.get(f"/staff/surveys/waves/{drawn.pk}/sheets/{tree.n1.pk}.pdf").status_code == 404
    # Another region's commander does not see the wave at all.
    assert (
        client_for("commander_s1").get(f"/staff/surveys/waves/{drawn.pk}/sheets/{tree.n1a.pk}/").status_code
        == 404
    )
    # The wave's page offers the sheets the reader may print.
    page = officer.get(f"/staff/surveys/waves/{drawn.pk}/", **EN).content.decode()
    assert f"/sheets/{tree.n1a.pk}/" in page and f"/sheets/{tree.n1.pk}/" not in page


def _queries(client, url) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_wave_list_takes_as_many_queries_for_two_waves_as_for_six(client_for, tree, actor_for, version):
    directorate = actor_for("directorate")
    client = client_for("director_north")
    for n in range(2):
        make_wave(directorate, tree.north, version, f"Wave {n}", targets={tree.n1a.pk: 30})
    few = _queries(client, "/staff/surveys/waves/")
    for n in range(2, 6):
        make_wave(directorate, tree.n1, version, f"Wave {n}", targets={tree.n1b.pk: 30})
    assert _queries(client, "/staff/surveys/waves/") == few


def test_a_big_waves_page_counts_its_start_points_and_leaves_the_list_to_the_sheets(
    client_for, tree, actor_for, version, monkeypatch
):
    """A national wave has thousands of start points: its page says how many were drawn
    and the interviewers' sheets list them; a small wave's page lists them itself."""
    from cpis.surveys.views import waves as views

    directorate = actor_for("directorate")
    wave = make_wave(directorate, tree.north, version, "Points", targets={tree.n1a.pk: 60})
    drawn = len(sampling.draw_start_points(directorate, wave=wave, per_point=5))
    assert drawn > 3
    client = client_for("directorate")
    page = client.get(f"/staff/surveys/waves/{wave.pk}/", **EN).content.decode()
    assert 'id="start-points"' in page and 'id="start-points-count"' not in page
    monkeypatch.setattr(views, "POINTS_LISTED", 3)
    page = client.get(f"/staff/surveys/waves/{wave.pk}/", **EN).content.decode()
    assert 'id="start-points"' not in page
    assert f"{drawn} start points are drawn; the interviewers' sheets list them by station." in page
