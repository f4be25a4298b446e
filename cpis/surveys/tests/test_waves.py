"""The waves' services and reads against the database: planning a wave at a
place with a published questionnaire, the default allocation of a total
between its sectors, each sector's target, the population margins (each
dimension adding up to 1), the course planned → open → closed, what an open or
closed wave refuses, and which waves each persona sees."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from cpis.core.errors import InvalidInput
from cpis.organisation.models import Unit
from cpis.surveys.models import Margin, StartPoint, Wave, WaveStatus, WaveTarget
from cpis.surveys.selectors import questionnaires as questionnaire_selectors
from cpis.surveys.selectors import waves as selectors
from cpis.surveys.services import questionnaires as questionnaire_services
from cpis.surveys.services import waves as services
from cpis.surveys.services.waves import WaveInput

pytestmark = pytest.mark.usefixtures("english")


def plan(actor, place, version, **given) -> WaveInput:
    values = {
        "name": "Spring 2026",
        "version": version,
        "place": place,
        "starts_on": date(2026, 4, 1),
        "ends_on": date(2026, 4, 30),
        "min_n": 10,
        "seed": 2026,
    } | given
    return WaveInput(**values)


@pytest.fixture
def north_wave(tree, actor_for, version):
    Unit.objects.filter(pk=tree.n1a.pk).update(population=40_000)
    Unit.objects.filter(pk=tree.n1b.pk).update(population=10_000)
    return services.create_wave(actor_for("director_north"), data=plan(None, tree.north, version), total=120)


# --- planning ------------------------------------------------------------------------------------


def test_a_wave_with_a_total_shares_it_between_every_sector_of_its_place(north_wave, tree, persona):
    targets = selectors.targets_by_sector(north_wave)
    assert set(targets) == {tree.n1a.pk, tree.n1b.pk}
    assert sum(targets.values()) == 120
    # √40 000 : √10 000 = 2 : 1, and both above the floor of 30.
    assert (targets[tree.n1a.pk], targets[tree.n1b.pk]) == (80, 40)
    assert north_wave.status == WaveStatus.PLANNED and north_wave.created_by == persona("director_north")


def test_the_floor_of_thirty_holds_for_a_small_sector(tree, actor_for, version):
    Unit.objects.filter(pk=tree.n1a.pk).update(population=1_000_000)
    Unit.objects.filter(pk=tree.n1b.pk).update(population=100)
    wave = services.create_wave(actor_for("director_north"), data=plan(None, tree.north, version), total=100)
    assert selectors.targets_by_sector(wave) == {tree.n1a.pk: 70, tree.n1b.pk: 30}


def test_a_total_below_the_floors_is_refused_and_changes_nothing(north_wave, actor_for):
    before = selectors.targets_by_sector(north_wave)
    with pytest.raises(InvalidInput, match="from 60"):
        services.allocate_targets(actor_for("director_north"), wave=north_wave, total=59)
    assert selectors.targets_by_sector(north_wave) == before


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ({"ends_on": date(2026, 3, 1)}, "cannot end before it starts"),
        ({"name": "  "}, "Give the wave a name"),
        ({"min_n": 0}, "fewest answers"),
        ({"seed": -1}, "seed"),
    ],
)
def test_a_bad_wave_is_refused_and_nothing_is_made(tree, actor_for, version, given, message):
    with pytest.raises(InvalidInput, match=message):
        services.create_wave(
            actor_for("directorate"), data=plan(None, tree.north, version, **given), total=100
        )
    assert not Wave.objects.exists() and not WaveTarget.objects.exists()


def test_a_wave_surveys_a_country_region_or_station_not_a_sector(tree, actor_for, version):
    with pytest.raises(InvalidInput, match="whole country, a region or a station"):
        services.create_wave(actor_for("directorate"), data=plan(None, tree.n1a, version))
    assert not Wave.objects.exists()


def test_a_wave_asks_a_published_version(tree, actor_for, version):
    draft = questionnaire_services.new_draft(actor_for("directorate"), questionnaire=version.questionnaire)
    with pytest.raises(services.VersionNotPublished):
        services.create_wave(actor_for("directorate"), data=plan(None, tree.north, draft))
    assert not Wave.objects.exists()


def test_a_regional_director_plans_in_the_region_only(tree, actor_for, version):
    director = actor_for("director_north")
    assert services.create_wave(director, data=plan(None, tree.n1, version)).place == tree.n1
    with pytest.raises(Http404):
        services.create_wave(director, data=plan(None, tree.south, version))
    with pytest.raises(Http404):  # above the region: outside the director's places
        services.create_wave(director, data=plan(None, tree.root, version))
    with pytest.raises(PermissionDenied):
        services.create_wave(actor_for("commander_n1"), data=plan(None, tree.n1, version))


# --- targets -----------------------------------------------------------------------------------


def test_targets_are_set_and_cleared_per_sector(north_wave, tree, actor_for):
    director = actor_for("director_north")
    services.set_targets(director, wave=north_wave, targets={tree.n1a.pk: 55, tree.n1b.pk: None})
    assert selectors.targets_by_sector(north_wave) == {tree.n1a.pk: 55}
    rows = {row.sector.pk: row.target for row in selectors.list_targets(north_wave)}
    assert rows == {tree.n1a.pk: 55, tree.n1b.pk: None}


def test_a_target_outside_the_wave_or_out_of_range_changes_nothing(north_wave, tree, actor_for):
    director = actor_for("director_north")
    before = selectors.targets_by_sector(north_wave)
    with pytest.raises(InvalidInput, match="sectors of the wave's place"):
        services.set_targets(director, wave=north_wave, targets={tree.n1a.pk: 10, tree.s1a.pk: 40})
    with pytest.raises(InvalidInput, match="whole number from 0"):
        services.set_targets(director, wave=north_wave, targets={tree.n1a.pk: 10, tree.n1b.pk: -3})
    assert selectors.targets_by_sector(north_wave) == before


# --- margins -----------------------------------------------------------------------------------


def test_margins_are_saved_per_dimension(north_wave, actor_for):
    director = actor_for("director_north")
    services.set_margins(
        director, wave=north_wave, dimension="gender", shares={"female": 0.502, "male": 0.498}
    )
    services.set_margins(
        director,
        wave=north_wave,
        dimension="community",
        shares={"albanian": 0.9, "serb": 0.05, "other": 0.05},
    )
    assert selectors.margins_by_dimension(north_wave) == {
        "gender": {"female": 0.502, "male": 0.498},
        "community": {"albanian": 0.9, "serb": 0.05, "other": 0.05},
    }
    # Saving a dimension again replaces it; no shares remove it.
    services.set_margins(
        director, wave=north_wave, dimension="gender", shares={"female": 0.5, "male": 0.4995}
    )
    services.set_margins(director, wave=north_wave, dimension="community", shares={})
    assert selectors.margins_by_dimension(north_wave) == {"gender": {"female": 0.5, "male": 0.4995}}
    rows = selectors.list_margins(north_wave)
    assert [(row.label, row.shares) for row in rows] == [("Gender", [("Woman", 0.5), ("Man", 0.4995)])]


@pytest.mark.parametrize(
    ("dimension", "shares", "message"),
    [
        ("gender", {"female": 0.6, "male": 0.5}, "add up to 1.100: they must add up to 1"),
        ("gender", {"female": 0.498}, "add up to 0.498"),
        ("age_band", {"18-24": 1.2, "25-34": -0.2}, "from 0 to 1"),
        ("community", {"martian": 1.0}, "not a category of Community"),
        ("income", {"low": 1.0}, "community, gender or age band"),
    ],
)
def test_margins_that_do_not_add_up_are_refused_and_change_nothing(
    north_wave, actor_for, dimension, shares, message
):
    director = actor_for("director_north")
    services.set_margins(director, wave=north_wave, dimension="gender", shares={"female": 0.5, "male": 0.5})
    with pytest.raises(InvalidInput, match=message):
        services.set_margins(director, wave=north_wave, dimension=dimension, shares=shares)
    assert selectors.margins_by_dimension(north_wave) == {"gender": {"female": 0.5, "male": 0.5}}


# --- the course of a wave ------------------------------------------------------------------------


def test_a_wave_opens_closes_and_never_reopens(north_wave, actor_for):
    director = actor_for("director_north")
    assert services.open_wave(director, wave=north_wave).status == WaveStatus.OPEN
    with pytest.raises(services.WaveNotPlanned):
        services.open_wave(director, wave=north_wave)
    assert services.close_wave(director, wave=north_wave).status == WaveStatus.CLOSED
    with pytest.raises(services.WaveClosed, match="can no longer be changed or opened again"):
        services.open_wave(director, wave=north_wave)
    with pytest.raises(services.WaveClosed):
        services.close_wave(director, wave=north_wave)
    assert Wave.objects.get(pk=north_wave.pk).status == WaveStatus.CLOSED


def test_a_planned_wave_is_not_closed_before_it_opens(north_wave, actor_for):
    with pytest.raises(services.CloseNeedsOpenWave):
        services.close_wave(actor_for("director_north"), wave=north_wave)


def test_a_wave_without_targets_does_not_open(tree, actor_for, version):
    wave = services.create_wave(actor_for("directorate"), data=plan(None, tree.north, version))
    with pytest.raises(services.WaveHasNoTargets):
        services.open_wave(actor_for("directorate"), wave=wave)
    assert Wave.objects.get(pk=wave.pk).status == WaveStatus.PLANNED


def test_a_closed_wave_refuses_every_change(north_wave, tree, actor_for, version):
    director = actor_for("director_north")
    services.open_wave(director, wave=north_wave)
    services.close_wave(director, wave=north_wave)
    targets = selectors.targets_by_sector(north_wave)
    changes = [
        lambda: services.update_wave(
            director, wave=north_wave, data=plan(None, tree.north, version, name="X")
        ),
        lambda: services.allocate_targets(director, wave=north_wave, total=200),
        lambda: services.set_targets(director, wave=north_wave, targets={tree.n1a.pk: 1}),
        lambda: services.set_margins(director, wave=north_wave, dimension="gender", shares={"female": 1.0}),
        lambda: services.delete_wave(director, wave=north_wave),
    ]
    for change in changes:
        with pytest.raises(services.WaveClosed):
            change()
    wave = Wave.objects.get(pk=north_wave.pk)
    assert wave.name == "Spring 2026" and selectors.targets_by_sector(wave) == targets
    assert not Margin.objects.filter(wave=wave).exists()


def test_only_a_planned_wave_changes_its_questionnaire_or_place(north_wave, tree, actor_for, version):
    director = actor_for("director_north")
    services.open_wave(director, wave=north_wave)
    with pytest.raises(services.WaveUnderway):
        services.update_wave(director, wave=north_wave, data=plan(None, tree.n1, version))
    other = questionnaire_selectors.get_published_version("after-concern")
    with pytest.raises(services.WaveUnderway):
        services.update_wave(director, wave=north_wave, data=plan(None, tree.north, other))
    # Its name, dates and seed still may.
    changed = services.update_wave(
        director, wave=north_wave, data=plan(None, tree.north, version, name="Spring, extended", seed=7)
    )
    assert (changed.name, changed.seed, changed.place) == ("Spring, extended", 7, tree.north)


def test_a_planned_wave_moved_to_a_smaller_place_drops_the_targets_outside(
    north_wave, tree, actor_for, version
):
    director = actor_for("director_north")
    n2 = Unit.objects.create(parent=tree.north, kind="station", code="n2", path="kp/north/n2/", name_sq="N2")
    n2a = Unit.objects.create(parent=n2, kind="sector", code="n2a", path="kp/north/n2/n2a/", name_sq="N2A")
    services.set_targets(director, wave=north_wave, targets={n2a.pk: 30})
    StartPoint.objects.create(wave=north_wave, sector=n2a, sequence=1, lon=21.05, lat=42.55, interviews=5)
    StartPoint.objects.create(
        wave=north_wave, sector=tree.n1a, sequence=1, lon=21.05, lat=42.55, interviews=5
    )
    services.update_wave(director, wave=north_wave, data=plan(None, tree.n1, version))
    assert set(selectors.targets_by_sector(north_wave)) == {tree.n1a.pk, tree.n1b.pk}
    assert list(StartPoint.objects.filter(wave=north_wave).values_list("sector", flat=True)) == [tree.n1a.pk]
    services.update_wave(director, wave=north_wave, data=plan(None, n2, version))
    assert selectors.targets_by_sector(north_wave) == {}
    assert not StartPoint.objects.filter(wave=north_wave).exists()


def test_a_wave_keeps_its_version_after_a_new_one_is_published(north_wave, tree, actor_for, version):
    designer = actor_for("directorate")
    draft = questionnaire_services.new_draft(designer, questionnaire=version.questionnaire)
    questionnaire_services.publish_version(designer, version=draft)
    version.refresh_from_db()
    changed = services.update_wave(
        actor_for("director_north"), wave=north_wave, data=plan(None, tree.north, version, name="Renamed")
    )
    assert changed.version == version and changed.name == "Renamed"


def test_a_planned_wave_is_deleted_with_its_targets(north_wave, actor_for):
    services.delete_wave(actor_for("director_north"), wave=north_wave)
    assert not Wave.objects.exists() and not WaveTarget.objects.exists()


# --- who sees which wave ----------------------------------------------------------------------------


@pytest.fixture
def three_waves(tree, actor_for, version):
    directorate = actor_for("directorate")
    return {
        "national": services.create_wave(directorate, data=plan(None, tree.root, version, name="National")),
        "north": services.create_wave(directorate, data=plan(None, tree.north, version, name="North")),
        "south": services.create_wave(directorate, data=plan(None, tree.s1, version, name="South")),
    }


@pytest.mark.parametrize(
    ("who", "seen"),
    [
        ("director_north", {"National", "North"}),
        ("officer_n1a", {"National", "North"}),
        ("commander_s1", {"National", "South"}),
        ("directorate", {"National", "North", "South"}),
    ],
)
def test_each_persona_sees_the_waves_at_above_and_below_its_places(three_waves, actor_for, who, seen):
    assert {w.name for w in selectors.list_waves(actor_for(who))} == seen


def test_a_wave_outside_the_actors_places_is_not_found(three_waves, actor_for):
    with pytest.raises(Http404):
        selectors.get_wave(actor_for("director_north"), three_waves["south"].pk)
    with pytest.raises(Http404):
        selectors.list_waves(actor_for("standards"))


def test_a_regional_director_sees_the_national_wave_but_may_not_change_it(three_waves, actor_for):
    director = actor_for("director_north")
    national = selectors.get_wave(director, three_waves["national"].pk)
    assert not selectors.can_run(director, national)
    with pytest.raises(PermissionDenied):
        services.allocate_targets(director, wave=national, total=500)


def test_the_open_waves_covering_a_sector_on_a_day(three_waves, tree, actor_for):
    directorate = actor_for("directorate")
    for wave in three_waves.values():
        services.set_targets(
            directorate, wave=wave, targets={s.pk: 30 for s in selectors.list_sectors(wave.place)}
        )
    services.open_wave(directorate, wave=three_waves["north"])
    services.open_wave(directorate, wave=three_waves["south"])
    assert list(selectors.list_open_waves(sector=tree.n1a, on=date(2026, 4, 10))) == [three_waves["north"]]
    assert list(selectors.list_open_waves(sector=tree.s1a, on=date(2026, 4, 10))) == [three_waves["south"]]
    assert not selectors.list_open_waves(sector=tree.n1a, on=date(2026, 5, 10)).exists()
