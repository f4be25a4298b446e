from datetime import date

import pytest
from django.urls import reverse

from cpis.accounts.models import AccessLogEntry
from cpis.organisation.models import Assignment
from cpis.organisation.tests.factories import AssignmentFactory, OfficerFactory


def test_staff_pages_send_anonymous_visitors_to_sign_in(tree, client_for):
    response = client_for("citizen").get(reverse("organisation:unit", args=[tree.n1.pk]))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_a_user_without_a_role_gets_404(tree, client_for):
    assert client_for("no_role").get(reverse("organisation:home")).status_code == 404


@pytest.mark.parametrize(
    ("persona_name", "place", "status"),
    [
        ("commander_n1", "n1", 200),
        ("commander_n1", "n1a", 302),  # a sector opens as its profile
        ("commander_s1", "n1", 404),
        ("officer_n1a", "n1", 404),
        ("director_north", "n1", 200),
        ("directorate", "s1", 200),
    ],
)
def test_unit_pages_follow_the_policy(tree, client_for, persona_name, place, status):
    response = client_for(persona_name).get(reverse("organisation:unit", args=[getattr(tree, place).pk]))
    assert response.status_code == status


def test_the_home_page_summarises_the_users_place(tree, client_for):
    response = client_for("commander_n1").get(reverse("organisation:home"))
    assert response.status_code == 200
    assert tree.n1.name_sq in response.content.decode()


def test_the_station_page_warns_about_early_moves(tree, client_for):
    officer = OfficerFactory(unit=tree.n1, first_name="Drita", last_name="Gashi")
    AssignmentFactory(
        officer=officer, sector=tree.n1a, start_date=date(2025, 1, 1), end_date=date(2025, 6, 1)
    )
    page = client_for("commander_n1").get(reverse("organisation:unit", args=[tree.n1.pk])).content.decode()
    assert "Drita Gashi" in page
    assert 'id="tenure-heading"' in page


def test_the_sector_profile_shows_the_team_and_is_editable_by_the_station(tree, client_for):
    officer = OfficerFactory(unit=tree.n1, first_name="Besa", last_name="Hoxha")
    AssignmentFactory(officer=officer, sector=tree.n1a, start_date=date(2024, 1, 1))
    client = client_for("coordinator_n1")
    url = reverse("organisation:sector", args=[tree.n1a.pk])
    assert "Besa Hoxha" in client.get(url).content.decode()
    response = client.post(url, {"population": "2500", "description": "Zonë banimi"})
    assert response.status_code == 302
    tree.n1a.refresh_from_db()
    assert tree.n1a.population == 2500
    response = client.post(
        url, {"add_location": "1", "kind": "school", "name": "Shkolla", "lat": "999", "lon": "21"}
    )
    assert response.status_code == 200
    assert not tree.n1a.key_locations.exists()


def test_a_sector_officer_may_not_edit_the_profile(tree, client_for):
    response = client_for("officer_n1a").post(
        reverse("organisation:sector", args=[tree.n1a.pk]), {"population": "1", "description": ""}
    )
    assert response.status_code == 403


def test_every_view_of_an_officers_personal_data_is_logged(tree, client_for):
    officer = OfficerFactory(unit=tree.n1)
    url = reverse("organisation:officer", args=[officer.pk])
    commander = client_for("commander_n1")
    assert officer.personal_phone in commander.get(url).content.decode()
    commander.get(url)
    assert AccessLogEntry.objects.reads().filter(subject_id=str(officer.pk)).count() == 2
    # A coordinator sees the record without personal data, and nothing is logged.
    page = client_for("coordinator_n1").get(url).content.decode()
    assert officer.personal_phone not in page
    assert AccessLogEntry.objects.reads().count() == 2


def test_an_early_move_without_a_reason_is_refused_with_a_message(tree, client_for):
    officer = OfficerFactory(unit=tree.n1)
    AssignmentFactory(officer=officer, sector=tree.n1a, start_date=date(2025, 6, 1))
    url = reverse("organisation:officer_assign", args=[officer.pk])
    client = client_for("commander_n1")
    response = client.post(
        url,
        {"sector": tree.n1b.pk, "role": "officer", "start_date": "2025-12-01", "reason": ""},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    assert "two years" in response.content.decode()
    assert Assignment.objects.get(officer=officer, end_date__isnull=True).sector == tree.n1a
    response = client.post(
        url, {"sector": tree.n1b.pk, "role": "officer", "start_date": "2025-12-01", "reason": "Promoted"}
    )
    assert response.status_code == 302
    assert Assignment.objects.get(officer=officer, end_date__isnull=True).sector == tree.n1b


def test_officer_search_returns_the_rows_fragment_for_htmx(tree, client_for):
    OfficerFactory(unit=tree.n1, last_name="Shala")
    response = client_for("commander_n1").get(
        reverse("organisation:officers"), {"q": "Shala"}, HTTP_HX_REQUEST="true"
    )
    body = response.content.decode()
    assert "Shala" in body
    assert "<html" not in body


def test_the_officer_list_takes_the_same_queries_for_any_number_of_officers(
    tree, client_for, django_assert_max_num_queries
):
    client = client_for("commander_n1")
    OfficerFactory.create_batch(3, unit=tree.n1)
    client.get(reverse("organisation:officers"))
    OfficerFactory.create_batch(20, unit=tree.n1)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("organisation:officers"))
    assert response.content.decode().count("/staff/officers/") >= 23


def test_opening_an_officer_in_the_django_admin_is_logged(tree, client):
    from cpis.accounts.tests.factories import UserFactory

    officer = OfficerFactory(unit=tree.n1)
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    response = client.get(f"/admin/organisation/officer/{officer.pk}/change/")
    assert response.status_code == 200
    assert AccessLogEntry.objects.reads().filter(subject_id=str(officer.pk)).count() == 1


def _geojson_upload(content: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("sectors.geojson", content, content_type="application/geo+json")


def test_the_directorate_imports_sector_boundaries_from_a_file(tree, client_for):
    import json

    from cpis.organisation.tests.factories import square

    data = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": square(21.2, 42.5),
                "properties": {"code": "n1c", "name_sq": "Sektori C"},
            }
        ],
    }
    response = client_for("directorate").post(
        reverse("organisation:unit_import_sectors", args=[tree.n1.pk]),
        {"file": _geojson_upload(json.dumps(data).encode())},
    )
    assert response.status_code == 302
    assert tree.n1.children.filter(code="n1c").exists()


@pytest.mark.parametrize(
    "content", [b"not json", b'{"type": "Feature"}', "\udcff".encode("utf-8", "surrogatepass")]
)
def test_a_bad_boundary_file_is_refused_with_a_message_and_changes_nothing(tree, client_for, content):
    before = tree.n1.children.count()
    response = client_for("directorate").post(
        reverse("organisation:unit_import_sectors", args=[tree.n1.pk]),
        {"file": _geojson_upload(content)},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    assert 'class="error"' in response.content.decode()
    assert tree.n1.children.count() == before


def test_a_station_commander_may_not_import_boundaries(tree, client_for):
    response = client_for("commander_n1").post(
        reverse("organisation:unit_import_sectors", args=[tree.n1.pk]), {"file": _geojson_upload(b"{}")}
    )
    assert response.status_code == 403
    page = client_for("commander_n1").get(reverse("organisation:unit", args=[tree.n1.pk])).content.decode()
    assert 'id="import-heading"' not in page
