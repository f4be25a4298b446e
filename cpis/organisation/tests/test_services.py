from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from cpis.core.errors import InvalidInput
from cpis.organisation import services
from cpis.organisation.access import Actor
from cpis.organisation.models import Assignment, SectorRole, Unit, UnitKind
from cpis.organisation.tests.factories import AssignmentFactory, OfficerFactory, square


@pytest.fixture
def officer(tree):
    officer = OfficerFactory(unit=tree.n1)
    AssignmentFactory(officer=officer, sector=tree.n1a, start_date=date(2024, 3, 1))
    return officer


def test_moving_a_community_officer_before_two_years_needs_a_reason(tree, actor_for, officer):
    with pytest.raises(services.EarlyMoveNeedsReason):
        services.assign_officer(
            actor_for("commander_n1"), officer=officer, sector=tree.n1b, start_date=date(2025, 3, 1)
        )
    current = Assignment.objects.get(officer=officer, end_date__isnull=True)
    assert current.sector == tree.n1a  # nothing changed


def test_an_early_move_with_a_reason_ends_the_old_assignment_and_keeps_the_reason(tree, actor_for, officer):
    new = services.assign_officer(
        actor_for("commander_n1"),
        officer=officer,
        sector=tree.n1b,
        start_date=date(2025, 3, 1),
        reason="Promoted to sergeant",
    )
    old = Assignment.objects.get(officer=officer, sector=tree.n1a)
    assert old.end_date == date(2025, 3, 1)
    assert old.end_reason == "Promoted to sergeant"
    assert new.sector == tree.n1b and new.end_date is None


def test_a_move_after_two_years_needs_no_reason(tree, actor_for, officer):
    services.assign_officer(
        actor_for("commander_n1"), officer=officer, sector=tree.n1b, start_date=date(2026, 3, 1)
    )
    assert Assignment.objects.get(officer=officer, end_date__isnull=True).sector == tree.n1b


def test_the_two_year_rule_does_not_apply_to_officers_outside_community_policing(tree, actor_for):
    officer = OfficerFactory(unit=tree.n1, is_community_officer=False)
    AssignmentFactory(officer=officer, sector=tree.n1a, start_date=date(2025, 1, 1))
    services.assign_officer(
        actor_for("commander_n1"), officer=officer, sector=tree.n1b, start_date=date(2025, 2, 1)
    )
    assert Assignment.objects.get(officer=officer, end_date__isnull=True).sector == tree.n1b
    old = Assignment.objects.get(officer=officer, sector=tree.n1a)
    assert (old.end_date, old.end_reason) == (date(2025, 2, 1), "")


def test_a_new_assignment_cannot_start_before_the_current_one(tree, actor_for, officer):
    with pytest.raises(services.AssignmentOverlaps):
        services.assign_officer(
            actor_for("commander_n1"),
            officer=officer,
            sector=tree.n1b,
            start_date=date(2024, 1, 1),
            reason="x",
        )


def test_officers_are_assigned_to_sectors_only(tree, actor_for, officer):
    with pytest.raises(services.NotASector):
        services.assign_officer(actor_for("director_north"), officer=officer, sector=tree.n1, reason="x")


def test_a_commander_cannot_move_officers_in_another_region(tree, actor_for, officer):
    with pytest.raises(Http404):
        services.assign_officer(actor_for("commander_s1"), officer=officer, sector=tree.s1a, reason="x")


def test_a_commander_cannot_pull_an_officer_out_of_another_station(tree, actor_for):
    officer = OfficerFactory(unit=tree.s1)
    AssignmentFactory(officer=officer, sector=tree.s1a, start_date=date(2020, 1, 1))
    with pytest.raises(Http404):
        services.assign_officer(actor_for("commander_n1"), officer=officer, sector=tree.n1a)


def test_a_sector_officer_cannot_assign_anyone(tree, actor_for, officer):
    with pytest.raises(PermissionDenied):
        services.assign_officer(actor_for("officer_n1a"), officer=officer, sector=tree.n1a, reason="x")


def test_units_hang_only_below_the_right_kind_of_parent(tree):
    with pytest.raises(services.UnitKindNotAllowedHere):
        services.create_unit(Actor.system(), parent=tree.n1a, kind=UnitKind.SECTOR, code="x", name_sq="X")
    with pytest.raises(services.UnitCodeTaken):
        services.create_unit(Actor.system(), parent=tree.n1, kind=UnitKind.SECTOR, code="n1a", name_sq="X")
    unit = services.create_unit(
        Actor.system(), parent=tree.n1, kind=UnitKind.SUBSTATION, code="sub", name_sq="Nën"
    )
    assert unit.path == "kp/north/n1/sub/"


def _collection(*features):
    return {"type": "FeatureCollection", "features": list(features)}


def _feature(code, geometry, **properties):
    return {
        "type": "Feature",
        "geometry": geometry,
        "properties": {"code": code, "name_sq": f"Sektori {code}", **properties},
    }


def test_importing_boundaries_creates_and_updates_sectors(tree, actor_for):
    data = _collection(
        _feature("n1a", square(21.0, 42.5, 0.2), population=900),
        _feature("n1c", square(21.2, 42.5), name_sr="Сектор Ц"),
    )
    sectors = services.import_sector_boundaries(actor_for("directorate"), parent=tree.n1, data=data)
    assert [s.code for s in sectors] == ["n1a", "n1c"]
    tree.n1a.refresh_from_db()
    assert tree.n1a.population == 900
    assert tree.n1a.boundary == square(21.0, 42.5, 0.2)
    assert Unit.objects.get(path="kp/north/n1/n1c/").name_sr == "Сектор Ц"


def test_a_bad_feature_rolls_back_the_whole_import_and_says_which(tree, actor_for):
    data = _collection(
        _feature("n1c", square(21.2, 42.5)),
        _feature("n1d", {"type": "Point", "coordinates": [21, 42]}),
    )
    with pytest.raises(InvalidInput, match="2"):
        services.import_sector_boundaries(actor_for("directorate"), parent=tree.n1, data=data)
    assert not Unit.objects.filter(code="n1c").exists()


@pytest.mark.parametrize("data", [{}, {"type": "FeatureCollection", "features": []}, [], "x"])
def test_an_import_that_is_not_a_feature_collection_is_refused(tree, actor_for, data):
    with pytest.raises(InvalidInput):
        services.import_sector_boundaries(actor_for("directorate"), parent=tree.n1, data=data)


def test_only_the_directorate_and_administrators_import_boundaries(tree, actor_for):
    with pytest.raises(PermissionDenied):
        services.import_sector_boundaries(
            actor_for("commander_n1"), parent=tree.n1, data=_collection(_feature("n1c", square(21.2, 42.5)))
        )


def test_sector_profile_and_key_locations_are_edited_by_the_station(tree, actor_for):
    actor = actor_for("coordinator_n1")
    services.update_sector_profile(actor, sector=tree.n1a, population=1234, description="Fshat bujqësor")
    location = services.add_key_location(
        actor, sector=tree.n1a, kind="school", name="Shkolla", lat=42.55, lon=21.05
    )
    tree.n1a.refresh_from_db()
    assert tree.n1a.population == 1234
    assert location.sector == tree.n1a
    with pytest.raises(InvalidInput):
        services.add_key_location(actor, sector=tree.n1a, kind="school", name="X", lat=142.0, lon=21.0)
    with pytest.raises(PermissionDenied):
        services.update_sector_profile(
            actor_for("officer_n1a"), sector=tree.n1a, population=1, description=""
        )


def test_leader_role_is_recorded(tree, actor_for):
    officer = OfficerFactory(unit=tree.n1)
    assignment = services.assign_officer(
        actor_for("commander_n1"),
        officer=officer,
        sector=tree.n1a,
        role=SectorRole.LEADER,
        start_date=date(2025, 1, 1),
    )
    assert assignment.role == SectorRole.LEADER
