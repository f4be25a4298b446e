"""The record's page, the representation page and the personnel pages, through the
browser's client and the JSON API."""

import pytest

from cpis.accounts.models import AccessLogEntry
from cpis.people.models import BackgroundChange, OfficerBackground

from .conftest import END, START


def test_the_commander_reads_an_officers_record_for_last_year_and_it_is_logged(work, client_for):
    client = client_for("commander_n1")
    response = client.get(
        f"/staff/people/officers/{work.officer.pk}/record/", {"period": "custom", "start": START, "end": END}
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert 'id="item-concerns_handled"' in body and "Arta Berisha" in body
    assert (
        AccessLogEntry.objects.reads()
        .filter(subject_type="people.record", subject_id=str(work.officer.pk))
        .count()
        == 1
    )


def test_the_period_picker_refuses_a_reversed_period(work, client_for):
    response = client_for("personnel").get(
        f"/staff/people/officers/{work.officer.pk}/record/", {"period": "custom", "start": END, "end": START}
    )
    assert response.status_code == 400
    assert not AccessLogEntry.objects.reads().exists()


@pytest.mark.parametrize("period", ["this_year", "last_year"])
def test_the_period_picker_offers_this_year_and_last_year(work, client_for, period):
    response = client_for("personnel").get(
        f"/staff/people/officers/{work.officer.pk}/record/", {"period": period}
    )
    assert response.status_code == 200


def test_a_commander_of_another_station_gets_404_and_the_attempt_is_logged(work, client_for):
    response = client_for("commander_s1").get(f"/staff/people/officers/{work.officer.pk}/record/")
    assert response.status_code == 404
    assert not AccessLogEntry.objects.reads().exists()
    assert AccessLogEntry.objects.refusals().filter(subject_type="people.record").count() == 1


def test_the_officer_finds_their_own_record_on_the_home_page(work, client):
    client.force_login(work.user)
    body = client.get("/staff/people/").content.decode()
    assert f"/staff/people/officers/{work.officer.pk}/record/" in body
    assert client.get(f"/staff/people/officers/{work.officer.pk}/record/").status_code == 200
    assert client.get(f"/staff/people/officers/{work.other.pk}/record/").status_code == 404


def test_the_list_shows_the_commander_the_officers_of_the_station_only(work, tree, client_for):
    from cpis.organisation.tests.factories import OfficerFactory

    OfficerFactory(unit=tree.s1a, last_name="Jugu")
    body = client_for("commander_n1").get("/staff/people/").content.decode()
    assert "Arta Berisha" in body and "Jugu" not in body
    assert "Jugu" in client_for("personnel").get("/staff/people/").content.decode()


def test_the_api_gives_the_record_and_logs_it(work, api):
    response = api("director_north").get(
        f"/api/v1/people/officers/{work.officer.pk}/record", {"start": START, "end": END}
    )
    assert response.status_code == 200
    data = response.json()
    assert data["officer"] == work.officer.pk
    assert {item["key"]: item["value"] for item in data["items"]}["meetings_attended"] == work.meetings
    assert AccessLogEntry.objects.reads().filter(subject_type="people.record").count() == 1
    assert api("commander_s1").get(f"/api/v1/people/officers/{work.officer.pk}/record").status_code == 404
    assert api("personnel").get("/api/v1/people/officers/999999999999999999999/record").status_code in {
        404,
        422,
    }


def test_personnel_record_an_officers_background_and_every_view_and_change_is_logged(work, client_for):
    client = client_for("personnel")
    url = f"/staff/people/officers/{work.officer.pk}/background/"
    assert client.get(url).status_code == 200
    response = client.post(url, {"community": "ashkali", "gender": "female"})
    assert response.status_code == 302
    background = OfficerBackground.objects.get(officer=work.officer)
    assert (background.community, background.gender) == ("ashkali", "female")
    assert BackgroundChange.objects.get(officer=work.officer).fields == "community,gender"
    assert AccessLogEntry.objects.reads().filter(subject_type="people.officerbackground").count() == 2
    assert client.post(url, {"community": "martian", "gender": "female"}).status_code == 400
    assert OfficerBackground.objects.get(officer=work.officer).community == "ashkali"


@pytest.mark.parametrize("name", ["commander_n1", "directorate", "leader_n1a"])
def test_nobody_but_personnel_reads_an_officers_background(work, client_for, name):
    url = f"/staff/people/officers/{work.officer.pk}/background/"
    assert client_for(name).get(url).status_code in {403, 404}
    assert client_for(name).post(url, {"community": "serb", "gender": "male"}).status_code in {403, 404}
    assert not OfficerBackground.objects.exists()
