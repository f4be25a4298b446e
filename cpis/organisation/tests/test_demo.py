"""The demo data: real regions and municipalities, sectors that tile the
territory, officers with histories, one login per role, deterministic."""

from datetime import date

import pytest
import shapely
from shapely.geometry import Polygon, shape

from cpis.accounts.models import User
from cpis.organisation import selectors
from cpis.organisation.demo import DEMO_LOGINS, DEMO_PASSWORD, load_demo, load_geography
from cpis.organisation.demo_geometry import build_sectors
from cpis.organisation.models import Assignment, Municipality, Officer, Role, RoleGrant, Unit, UnitKind
from cpis.organisation.rules import tenure_ends

TODAY = date(2026, 11, 1)


def test_the_geography_has_the_eight_regions_and_thirty_eight_municipalities():
    geography = load_geography()
    assert len(geography["regions"]) == 8
    assert len(geography["municipalities"]) == 38
    regions = {r["code"] for r in geography["regions"]}
    assert all(m["region"] in regions for m in geography["municipalities"])


def test_national_sectors_tile_kosovo_without_gaps_or_overlaps():
    geography = load_geography()
    sectors = build_sectors(geography, seed=2012)
    outline = Polygon(geography["outline"])
    geometries = [shape(s.geojson()) for s in sectors]
    assert all(g.is_valid and not g.is_empty for g in geometries)
    union = shapely.union_all(geometries)
    # Coordinates are rounded to 1e-6°, about 0.1 m: allow that much slack.
    assert union.symmetric_difference(outline).area < 1e-5 * outline.area
    assert sum(g.area for g in geometries) == pytest.approx(outline.area, rel=1e-5)
    assert len({s.code for s in sectors}) == len(sectors)


@pytest.fixture
def small_demo(db):
    return load_demo(scale="small", seed=7, today=TODAY)


def test_the_small_demo_holds_two_regions_with_staffed_sectors(small_demo):
    regions = Unit.objects.filter(kind=UnitKind.REGION)
    assert sorted(regions.values_list("code", flat=True)) == ["mv", "pr"]
    assert Unit.objects.filter(kind=UnitKind.STATION).count() == 12
    sectors = Unit.objects.sectors()
    assert sectors.count() > 60
    staffed = Assignment.objects.current(TODAY).values("sector").distinct().count()
    assert staffed == sectors.count()
    assert Municipality.objects.count() == 38  # the place search covers all of Kosovo


def test_every_demo_sector_has_a_leader(small_demo):
    leaders = Assignment.objects.current(TODAY).filter(role="leader").values_list("sector", flat=True)
    assert set(leaders) == set(Unit.objects.sectors().values_list("id", flat=True))


def test_some_demo_officers_left_a_sector_before_two_years(small_demo):
    early = [
        a for a in Assignment.objects.filter(end_date__isnull=False) if a.end_date < tenure_ends(a.start_date)
    ]
    assert early
    assert any(a.end_reason for a in early) and any(not a.end_reason for a in early)


def test_each_role_has_a_demo_login_holding_it(small_demo):
    assert {login.role for login in small_demo} == {str(Role(r).label) for _u, r, _p in DEMO_LOGINS}
    for username, role, _place in DEMO_LOGINS:
        user = User.objects.get(username=username)
        assert user.check_password(DEMO_PASSWORD), username
        assert RoleGrant.objects.filter(user=user, role=role).exists()


def test_the_demo_is_deterministic(db):
    def snapshot():
        load_demo(scale="small", seed=7, today=TODAY)
        return (
            list(Unit.objects.order_by("path").values_list("path", "name_sq", "population")),
            list(
                Officer.objects.order_by("badge_number").values_list(
                    "badge_number", "first_name", "last_name"
                )
            ),
            list(
                Assignment.objects.order_by("officer__badge_number", "start_date").values_list(
                    "officer__badge_number", "sector__path", "start_date", "end_date"
                )
            ),
        )

    assert snapshot() == snapshot()


def test_a_seat_and_a_village_are_found_and_placed_in_their_sector(small_demo):
    matches = selectors.search_places("Prishtin")
    assert matches and matches[0].sector is not None
    assert matches[0].sector.path.startswith("kp/pr/prishtine/")
    # Serbian Cyrillic finds the same municipality.
    assert selectors.search_places("Приштина")[0].sector == matches[0].sector


def test_the_national_demo_has_about_a_thousand_officers(db):
    load_demo(scale="national", seed=2012, today=TODAY)
    assert Unit.objects.filter(kind=UnitKind.STATION).count() == 38
    assert 900 <= Officer.objects.count() <= 1200


def test_the_demo_loads_again_in_place_when_the_access_log_names_its_logins(db, settings):
    """Access-log entries are never deleted and protect the user they name:
    such a login is kept and set back to its demo state; the others are new."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from cpis.accounts.audit import log_personal_data_access
    from cpis.accounts.models import AccessLogEntry

    settings.MFA_REQUIRED_ROLES = [Role.STATION_COMMANDER]
    load_demo(scale="small", seed=7, today=TODAY)
    commander, directorate = (
        User.objects.get(username="station.commander"),
        User.objects.get(username="directorate"),
    )
    log_personal_data_access(
        user_id=commander.pk, subject_type="organisation.officer", subject_id=1, request=None
    )
    commander.set_password("changed while trying the demo")
    commander.is_superuser = True
    commander.save()

    logins = load_demo(scale="small", seed=7, today=TODAY)

    again = User.objects.get(username="station.commander")
    assert again.pk == commander.pk and AccessLogEntry.objects.get().user == again
    assert again.check_password(DEMO_PASSWORD) and not again.is_superuser
    assert list(RoleGrant.objects.filter(user=again).values_list("role", flat=True)) == [
        Role.STATION_COMMANDER
    ]
    assert TOTPDevice.objects.filter(user=again).count() == 1 and again.has_second_factor
    assert (again.first_name, again.last_name) == Officer.objects.filter(user=again).values_list(
        "first_name", "last_name"
    ).get()
    assert User.objects.get(username="directorate").pk != directorate.pk  # not named by the log: made anew
    assert len(logins) == len(DEMO_LOGINS)
