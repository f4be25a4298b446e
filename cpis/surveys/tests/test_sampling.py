"""Drawing a wave's start points against the database: ceil(target / 5) points
in every sector with a target, at its own settlements (a settlement belongs to
the sector its point lies in), inside the sector, weighted by population; Halton
points in a sector without settlements; the same seed the same points, another
seed others; a redraw replaces them, never once the wave is closed."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from shapely.geometry import Point, shape

from cpis.organisation.tests.factories import MunicipalityFactory, SettlementFactory
from cpis.surveys.models import StartPoint
from cpis.surveys.selectors import waves as selectors
from cpis.surveys.services import sampling as services
from cpis.surveys.services import waves as wave_services
from cpis.surveys.services.waves import WaveInput

pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture
def settlements(tree):
    """Five settlements in sector N1A (0.1° square at 21.0 E, 42.5 N), one just
    across its border in N1B, none in S1A."""
    municipality = MunicipalityFactory()
    made = {}
    for name, lon, lat, population in (
        ("Town", 21.05, 42.55, 30_000),
        ("Hamlet", 21.01, 42.51, 300),
        ("Village east", 21.09, 42.52, 2_000),
        ("Village north", 21.03, 42.59, 1_500),
        ("Unknown", 21.07, 42.58, None),
        ("Across the border", 21.101, 42.55, 50_000),
    ):
        made[name] = SettlementFactory(
            municipality=municipality, name_sq=name, name_sr=name, lon=lon, lat=lat, population=population
        )
    return made


@pytest.fixture
def wave(tree, actor_for, version):
    data = WaveInput(
        name="Spring",
        version=version,
        place=tree.root,
        starts_on=date(2026, 4, 1),
        ends_on=date(2026, 4, 30),
        seed=11,
    )
    made = wave_services.create_wave(actor_for("directorate"), data=data)
    wave_services.set_targets(
        actor_for("directorate"), wave=made, targets={tree.n1a.pk: 48, tree.n1b.pk: None, tree.s1a.pk: 12}
    )
    return made


def rows(wave):
    return list(
        StartPoint.objects.filter(wave=wave)
        .order_by("sector__path", "sequence")
        .values_list("sector_id", "sequence", "settlement_id", "lon", "lat", "interviews")
    )


def test_each_sector_with_a_target_gets_its_points_inside_it(wave, tree, actor_for, settlements):
    points = services.draw_start_points(actor_for("directorate"), wave=wave)
    n1a = [p for p in points if p.sector_id == tree.n1a.pk]
    s1a = [p for p in points if p.sector_id == tree.s1a.pk]
    assert len(n1a) == 10 and {p.interviews for p in n1a} == {5}  # ceil(48 / 5) points of 5
    assert len(s1a) == 3 and {p.interviews for p in s1a} == {4}  # ceil(12 / 5) points of 4
    assert not any(p.sector_id == tree.n1b.pk for p in points)  # no target, no points
    for sector, drawn in ((tree.n1a, n1a), (tree.s1a, s1a)):
        polygon = shape(sector.boundary)
        assert all(polygon.contains(Point(p.lon, p.lat)) for p in drawn)
    assert [p.sequence for p in n1a] == list(range(1, 11))


def test_points_go_to_the_sectors_own_settlements_weighted_by_population(wave, tree, actor_for, settlements):
    points = services.draw_start_points(actor_for("directorate"), wave=wave)
    n1a = [p for p in points if p.sector_id == tree.n1a.pk]
    chosen = [p.settlement.name_sq for p in n1a]
    assert "Across the border" not in chosen and "Unknown" not in chosen
    # The town holds 30 000 of 33 800 people: 8 or 9 of the 10 points.
    assert chosen.count("Town") in (8, 9)
    town = settlements["Town"]
    assert all(
        abs(p.lon - town.lon) < 0.03 and abs(p.lat - town.lat) < 0.03 for p in n1a if p.settlement == town
    )


def test_a_sector_without_settlements_gets_points_of_a_halton_sequence(wave, tree, actor_for, settlements):
    services.draw_start_points(actor_for("directorate"), wave=wave)
    s1a = StartPoint.objects.filter(wave=wave, sector=tree.s1a)
    assert s1a.count() == 3 and not s1a.filter(settlement__isnull=False).exists()
    assert len({(p.lon, p.lat) for p in s1a}) == 3


def test_the_same_seed_draws_the_same_points_and_another_seed_others(wave, tree, actor_for, settlements):
    directorate = actor_for("directorate")
    services.draw_start_points(directorate, wave=wave)
    first = rows(wave)
    services.draw_start_points(directorate, wave=wave)
    assert rows(wave) == first  # a redraw replaces them, with the same ones
    assert StartPoint.objects.filter(wave=wave).count() == 13
    wave_services.update_wave(
        directorate,
        wave=wave,
        data=WaveInput(
            name=wave.name,
            version=wave.version,
            place=wave.place,
            starts_on=wave.starts_on,
            ends_on=wave.ends_on,
            seed=12,
        ),
    )
    services.draw_start_points(directorate, wave=wave)
    other = rows(wave)
    assert len(other) == len(first)
    assert [row[3:5] for row in other] != [row[3:5] for row in first]


def test_a_sectors_points_stay_when_another_sectors_target_changes(wave, tree, actor_for, settlements):
    directorate = actor_for("directorate")
    services.draw_start_points(directorate, wave=wave)
    n1a = [row for row in rows(wave) if row[0] == tree.n1a.pk]
    wave_services.set_targets(directorate, wave=wave, targets={tree.s1a.pk: 40})
    services.draw_start_points(directorate, wave=wave)
    assert [row for row in rows(wave) if row[0] == tree.n1a.pk] == n1a


def test_more_interviews_per_point_mean_fewer_points(wave, tree, actor_for, settlements):
    points = services.draw_start_points(actor_for("directorate"), wave=wave, per_point=8)
    n1a = [p for p in points if p.sector_id == tree.n1a.pk]
    assert len(n1a) == 6 and {p.interviews for p in n1a} == {8}


def test_points_are_drawn_while_open_but_never_once_closed(wave, tree, actor_for, settlements):
    directorate = actor_for("directorate")
    wave_services.open_wave(directorate, wave=wave)
    services.draw_start_points(directorate, wave=wave)
    first = rows(wave)
    wave_services.close_wave(directorate, wave=wave)
    with pytest.raises(services.WaveClosedForSampling):
        services.draw_start_points(directorate, wave=wave)
    assert rows(wave) == first


def test_only_who_runs_the_wave_draws_its_points(wave, tree, actor_for, settlements):
    for who in ("officer_n1a", "director_north", "commander_n1"):
        with pytest.raises(PermissionDenied):
            services.draw_start_points(actor_for(who), wave=wave)
    assert not StartPoint.objects.exists()


def test_the_wave_page_counts_points_and_interviews_per_sector(wave, tree, actor_for, settlements):
    services.draw_start_points(actor_for("directorate"), wave=wave)
    by_sector = {row.sector.pk: row for row in selectors.list_targets(wave)}
    assert (
        by_sector[tree.n1a.pk].target,
        by_sector[tree.n1a.pk].points,
        by_sector[tree.n1a.pk].interviews,
    ) == (
        48,
        10,
        50,
    )
    assert (by_sector[tree.n1b.pk].target, by_sector[tree.n1b.pk].points) == (None, 0)


def test_settlements_belong_to_the_sector_their_point_lies_in(tree, settlements):
    found = selectors.settlements_by_sector([tree.n1a, tree.n1b, tree.s1a])
    assert {s.name_sq for s in found[tree.n1a.pk].settlements} == {
        "Town",
        "Hamlet",
        "Village east",
        "Village north",
        "Unknown",
    }
    assert [s.name_sq for s in found[tree.n1b.pk].settlements] == ["Across the border"]
    assert found[tree.s1a.pk].settlements == []
    assert selectors.sector_sizes([tree.n1a, tree.n1b, tree.s1a]) == [33_800, 50_000, 0]
