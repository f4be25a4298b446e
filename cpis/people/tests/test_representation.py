"""The officers' composition at a place beside the population's: counted from the
backgrounds personnel recorded, small counts suppressed, the population weighted by
the place's sectors."""

from datetime import date

import pytest
from django.http import Http404

from cpis.organisation.tests.factories import AssignmentFactory, MunicipalityFactory, OfficerFactory
from cpis.people import selectors, services
from cpis.people.models import OfficerBackground, PopulationShare

ON = date(2026, 6, 1)


@pytest.fixture
def place(tree, actor_for):
    """Sector n1a in a municipality two-thirds Albanian and one third Serb, half women;
    n1b in one all Albanian; eight officers at n1a, two at n1b."""
    personnel = actor_for("personnel")
    mixed = MunicipalityFactory(code="mixed", name_sq="Mixed", seat_lon=21, seat_lat=42.6)
    plain = MunicipalityFactory(code="plain", name_sq="Plain", seat_lon=21, seat_lat=42.6)
    tree.n1a.municipality, tree.n1a.population = mixed, 3000
    tree.n1a.save()
    tree.n1b.municipality, tree.n1b.population = plain, 1000
    tree.n1b.save()
    for municipality, shares in ((mixed, {"albanian": 2 / 3, "serb": 1 / 3}), (plain, {"albanian": 1.0})):
        for category, share in shares.items():
            services.set_population_share(
                personnel,
                municipality=municipality,
                dimension="community",
                category=category,
                share=share,
                source="Census",
                year=2011,
            )
        for category in ("female", "male"):
            services.set_population_share(
                personnel,
                municipality=municipality,
                dimension="gender",
                category=category,
                share=0.5,
                source="Census",
                year=2011,
            )
    people = [("albanian", "male")] * 4 + [("serb", "male")] * 3 + [("albanian", "female")]
    for community, gender in people:
        officer = OfficerFactory(unit=tree.n1a)
        AssignmentFactory(officer=officer, sector=tree.n1a, start_date=date(2024, 1, 1))
        services.record_background(personnel, officer=officer, community=community, gender=gender)
    for community in ("albanian", "roma"):
        officer = OfficerFactory(unit=tree.n1b)
        AssignmentFactory(officer=officer, sector=tree.n1b, start_date=date(2024, 1, 1))
        services.record_background(personnel, officer=officer, community=community, gender="male")
    gone = OfficerFactory(unit=tree.n1a)  # left before the day: not counted
    AssignmentFactory(officer=gone, sector=tree.n1a, start_date=date(2020, 1, 1), end_date=date(2025, 1, 1))
    services.record_background(personnel, officer=gone, community="serb", gender="female")
    return tree


def cells(cells):
    return {cell.category: cell for cell in cells}


def test_a_sectors_officers_beside_its_municipalitys_population(place, actor_for):
    found = selectors.compare_representation(actor_for("leader_n1a"), place.n1a, on=ON)
    assert (found.officers, found.recorded) == (8, 8)
    community = cells(found.community)
    assert community["albanian"].officers == 5 and community["albanian"].officer_share == pytest.approx(5 / 8)
    assert community["serb"].officers == 3
    assert community["serb"].population_share == pytest.approx(1 / 3)
    gender = cells(found.gender)
    # One woman among eight: hidden, and the men's count with her (it would give her away).
    assert gender["female"].officers is None and gender["male"].officers is None
    assert gender["female"].population_share == pytest.approx(0.5)
    assert found.suppressed


def test_a_station_weights_its_municipalities_by_its_sectors_population(place, actor_for):
    found = selectors.compare_representation(actor_for("commander_n1"), place.n1, on=ON)
    assert found.officers == 10
    community = cells(found.community)
    # (3000 × 2/3 + 1000 × 1) / 4000 Albanian, 3000 × 1/3 / 4000 Serb.
    assert community["albanian"].population_share == pytest.approx(0.75)
    assert community["serb"].population_share == pytest.approx(0.25)
    # One Roma officer: hidden, and the next smallest count (the Serbs') with it.
    assert community["roma"].officers is None and community["serb"].officers is None
    assert community["albanian"].officers == 6


@pytest.mark.parametrize("name", ["commander_s1", "officer_n1a", "coordinator_n1", "standards"])
def test_others_get_404(place, actor_for, name):
    with pytest.raises(Http404):
        selectors.compare_representation(actor_for(name), place.n1a, on=ON)


def test_the_page_says_small_counts_are_hidden_and_shows_no_officer(place, client_for, settings):
    client = client_for("director_north")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get("/staff/people/representation/", {"unit": place.n1a.pk, "on": ON.isoformat()})
    assert response.status_code == 200
    body = response.content.decode()
    assert "fewer than 3" in body
    assert "Arben" not in body  # no officer's name


def test_the_api_gives_the_comparison_with_null_for_hidden_counts(place, api):
    response = api("commander_n1").get(f"/api/v1/people/representation/{place.n1.pk}", {"on": ON.isoformat()})
    assert response.status_code == 200
    data = response.json()
    assert data["officers"] == 10
    assert {c["category"]: c["officers"] for c in data["community"]}["roma"] is None
    assert api("commander_s1").get(f"/api/v1/people/representation/{place.n1.pk}").status_code == 404


def test_only_personnel_set_the_population_and_bad_figures_change_nothing(place, actor_for):
    from django.core.exceptions import PermissionDenied

    from cpis.core.errors import InvalidInput

    municipality = PopulationShare.objects.first().municipality
    with pytest.raises((PermissionDenied, Http404)):
        services.set_population_share(
            actor_for("directorate"),
            municipality=municipality,
            dimension="gender",
            category="female",
            share=0.4,
            source="X",
            year=2020,
        )
    for bad in ({"share": 1.5}, {"category": "martian"}, {"dimension": "age"}, {"source": " "}):
        data = {"dimension": "gender", "category": "female", "share": 0.4, "source": "X", "year": 2020} | bad
        with pytest.raises(InvalidInput):
            services.set_population_share(actor_for("personnel"), municipality=municipality, **data)
    assert PopulationShare.objects.get(municipality=municipality, category="female").share == 0.5


def test_only_personnel_record_backgrounds(place, actor_for):
    from django.core.exceptions import PermissionDenied

    officer = OfficerFactory(unit=place.n1a)
    with pytest.raises((PermissionDenied, Http404)):
        services.record_background(
            actor_for("commander_n1"), officer=officer, community="serb", gender="male"
        )
    assert not OfficerBackground.objects.filter(officer=officer).exists()
