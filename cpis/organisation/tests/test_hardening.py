"""Regression tests for review findings on the foundation."""

from datetime import date, timedelta

import pytest
import time_machine
from django.db import IntegrityError
from django.urls import reverse

from cpis.accounts.models import AccessLogEntry
from cpis.accounts.tests.factories import UserFactory
from cpis.core.errors import InvalidInput
from cpis.organisation import selectors, services
from cpis.organisation.models import Unit, UnitKind
from cpis.organisation.tests.factories import AssignmentFactory, OfficerFactory, UnitFactory, square


@pytest.fixture
def superuser_client(client, db):
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    return client


def test_a_unit_added_in_the_admin_gets_its_path_in_the_tree(tree, superuser_client):
    response = superuser_client.post(
        "/admin/organisation/unit/add/",
        {"parent": tree.n1.pk, "kind": "sector", "code": "n1z", "name_sq": "Sektori Z", "population": ""},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Unit.objects.get(code="n1z").path == "kp/north/n1/n1z/"


def test_the_admin_refuses_a_unit_in_the_wrong_place(tree, superuser_client):
    response = superuser_client.post(
        "/admin/organisation/unit/add/",
        {"parent": tree.n1a.pk, "kind": "sector", "code": "x", "name_sq": "X"},
    )
    assert response.status_code == 200
    assert not Unit.objects.filter(code="x").exists()


def test_no_unit_can_have_an_empty_path(tree):
    with pytest.raises(IntegrityError):
        Unit.objects.create(kind=UnitKind.SECTOR, code="bad", path="", name_sq="X")


def test_the_admin_does_not_filter_officers_by_personal_fields(tree, superuser_client):
    OfficerFactory(unit=tree.n1, date_of_birth=date(1985, 5, 17))
    response = superuser_client.get("/admin/organisation/officer/?date_of_birth__year=1985")
    assert response.status_code in {302, 400}
    assert not AccessLogEntry.objects.reads().exists()


def test_a_missing_officer_in_the_admin_logs_nothing(tree, superuser_client):
    superuser_client.get("/admin/organisation/officer/99999/change/")
    assert not AccessLogEntry.objects.reads().exists()


def test_the_public_team_leaves_out_officers_outside_community_policing(tree, client):
    desk = OfficerFactory(unit=tree.n1, first_name="Desk", is_community_officer=False)
    AssignmentFactory(officer=desk, sector=tree.n1a, start_date=date(2024, 1, 1))
    assert "Desk" not in client.get(f"/sectors/{tree.n1a.pk}/").content.decode()
    assert selectors.get_sector_team(tree.n1a) != []  # staff still see them


def test_an_assignment_cannot_overlap_one_that_ends_in_the_future(tree, actor_for):
    officer = OfficerFactory(unit=tree.n1)
    today = date.today()  # noqa: DTZ011
    AssignmentFactory(
        officer=officer, sector=tree.n1a, start_date=date(2020, 1, 1), end_date=today + timedelta(days=30)
    )
    actor = actor_for("commander_n1")
    with pytest.raises(services.AssignmentOverlaps):
        services.assign_officer(actor, officer=officer, sector=tree.n1b, start_date=today)
    assert list(selectors.list_public_officers(unit=tree.n1)).count(officer) == 1


@time_machine.travel(date(2028, 2, 29))
def test_the_station_page_works_on_29_february(tree, client_for):
    page = client_for("commander_n1").get(reverse("organisation:unit", args=[tree.n1.pk]))
    assert page.status_code == 200
    assert tree.n1.name_sq in page.content.decode()


def test_the_officer_api_answers_404_for_an_unknown_or_unseen_unit(tree, client, client_for):
    assert client.get("/api/v1/officers?unit_id=99999").status_code == 404
    assert client_for("commander_n1").get(f"/api/v1/officers?unit_id={tree.s1.pk}").status_code == 404


@pytest.mark.parametrize(
    ("code", "population"), [("n1a/evil", 10), ("Ünï", 10), ("ok-code", float("inf")), ("ok-code", -5)]
)
def test_imported_sectors_need_slug_codes_and_a_plausible_population(tree, actor_for, code, population):
    data = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": square(21.2, 42.5),
                "properties": {"code": code, "name_sq": "X", "population": population},
            }
        ],
    }
    with pytest.raises(InvalidInput):
        services.import_sector_boundaries(actor_for("directorate"), parent=tree.n1, data=data)
    assert not Unit.objects.filter(name_sq="X").exists()


def test_htmx_history_restore_gets_the_whole_page_and_responses_vary_on_htmx(tree, client):
    partial = client.get("/sector/?q=ab", HTTP_HX_REQUEST="true")
    assert "<html" not in partial.content.decode()
    assert "HX-Request" in partial["Vary"]
    restored = client.get("/sector/?q=ab", HTTP_HX_REQUEST="true", HTTP_HX_HISTORY_RESTORE_REQUEST="true")
    assert "<html" in restored.content.decode()


def test_pages_carry_a_content_security_policy(tree, client):
    policy = client.get("/sector/")["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "object-src 'none'" in policy


def test_the_sector_index_follows_a_sector_deleted_and_recreated(tree):
    assert selectors.locate_sector(lat=42.55, lon=21.05) == tree.n1a
    tree.n1a.delete()
    assert selectors.locate_sector(lat=42.55, lon=21.05) is None
    again = UnitFactory(parent=tree.n1, code="n1a2", kind=UnitKind.SECTOR, boundary=square(21.0, 42.5))
    assert selectors.locate_sector(lat=42.55, lon=21.05) == again
