"""The training JSON API: the national catalogue of courses and programmes,
for those who may see training; never an attendance list or an officer's
record."""

import json
from datetime import date

import pytest

from cpis.accounts.models import AccessLogEntry
from cpis.core.tests.helpers import json_keys, listing
from cpis.training.models import Attendance, Course, Level, Module, Programme, Trainer

PERSONAL = ("+383 49 000 222", "Rr. Agim Ramadani 5")


def _course(programme, unit, starts_on, ends_on, *, completed=(), enrolled=(), trainers=()):
    course = Course.objects.create(
        programme=programme,
        unit=unit,
        unit_path=unit.path,
        starts_on=starts_on,
        ends_on=ends_on,
        place="Vushtrri",
    )
    Attendance.objects.bulk_create(
        [Attendance(course=course, officer=o, completed=True) for o in completed]
        + [Attendance(course=course, officer=o) for o in enrolled]
    )
    course.trainers.set(trainers)
    return course


@pytest.fixture
def catalogue(tree, programme, trainer, officers):
    for officer in officers.values():
        officer.personal_phone, officer.home_address = PERSONAL
        officer.save()
    Module.objects.create(programme=programme, position=1, title="Hyrje", hours=8)
    Module.objects.create(programme=programme, position=2, title="Partneritetet", hours=16)
    sara = Programme.objects.create(title="SARA", level=Level.SPECIALISED, approved_on=date(2013, 4, 10))
    officer_trainer = Trainer.objects.create(officer=officers["n1"], certified_on=date(2013, 5, 2))
    north = _course(
        programme,
        tree.n1,
        date(2013, 3, 4),
        date(2013, 3, 8),
        completed=[officers["n1"], officers["n1a"]],
        enrolled=[officers["s1"]],
        trainers=[trainer, officer_trainer],
    )
    south = _course(sara, tree.s1, date(2014, 2, 3), date(2014, 2, 5), completed=[officers["s1"]])
    return {"basic": programme, "sara": sara, "north": north, "south": south}


def _no_personal_data(response, officers) -> None:
    body = response.content.decode()
    for value in (*PERSONAL, *(o.badge_number for o in officers.values())):
        assert value not in body
    for name in ("Blerim", "Milan"):  # participants who are not trainers are never named
        assert name not in body

    found = {
        k for k in json_keys(json.loads(body)) if any(w in k for w in ("phone", "email", "address", "attend"))
    }
    assert found == set()


@pytest.mark.parametrize("url", ["/api/v1/training/courses", "/api/v1/training/programmes"])
def test_the_catalogue_needs_credentials_and_a_role_that_sees_training(tree, client, api, url):
    assert client.get(url).status_code == 401
    assert api("standards").get(url).status_code == 404
    assert api("no_role").get(url).status_code == 404


def test_courses_come_with_trainers_and_head_counts_but_no_attendance(catalogue, api, officers):
    response = api("officer_n1a").get("/api/v1/training/courses")
    assert response.status_code == 200
    data = response.json()
    assert [c["id"] for c in data["items"]] == [catalogue["south"].pk, catalogue["north"].pk]
    north = data["items"][1]
    assert north["programme_title"] == "Policimi në bashkësi – kursi bazë"
    assert (north["participants"], north["completed"]) == (3, 2)
    assert [t["name"] for t in north["trainers"]] == ["Arta Gashi", "Sarah Mitchell"]
    assert north["trainers"][1]["organisation"] == "OSCE"
    _no_personal_data(response, officers)
    assert not AccessLogEntry.objects.reads().exists()


def test_the_catalogue_is_national_so_another_station_sees_it_too(catalogue, api):
    """Training's policy: anyone who may see training sees every course."""
    data = api("commander_s1").get("/api/v1/training/courses").json()
    assert data["count"] == 2


def test_courses_filter_by_year_programme_and_unit(catalogue, api, tree):
    client = api("commander_n1")
    ids = listing(client, "/api/v1/training/courses")
    assert ids("year=2013") == [catalogue["north"].pk]
    assert ids(f"programme_id={catalogue['sara'].pk}") == [catalogue["south"].pk]
    assert ids(f"unit_id={tree.south.pk}") == [catalogue["south"].pk]
    assert client.get("/api/v1/training/courses?unit_id=999999").status_code == 404
    assert client.get("/api/v1/training/courses?year=soon").status_code == 422


def test_courses_are_paginated_in_the_same_queries_for_any_page_size(
    tree, programme, trainer, officers, api, pages
):
    others = [Trainer.objects.create(name=f"Trajneri {i}") for i in range(3)]
    for i in range(6):
        _course(
            programme,
            tree.n1,
            date(2015, 1, 1 + i),
            date(2015, 1, 2 + i),
            completed=list(officers.values())[: 1 + i % 3],
            trainers=[trainer, *others[: i % 3]],
        )
    page = pages(api("commander_n1"), "/api/v1/training/courses", "starts_on", queries=6)
    assert page == (6, ["2015-01-05", "2015-01-04"])


def test_programmes_come_with_their_modules_and_hours(catalogue, api, officers):
    response = api("officer_n1a").get("/api/v1/training/programmes")
    assert response.status_code == 200
    data = response.json()
    assert [p["title"] for p in data["items"]] == ["Policimi në bashkësi – kursi bazë", "SARA"]
    basic = data["items"][0]
    assert [m["title"] for m in basic["modules"]] == ["Hyrje", "Partneritetet"]
    assert (basic["hours"], basic["module_count"], basic["course_count"]) == (24, 2, 1)
    assert basic["approved_on"] == "2012-10-15"
    _no_personal_data(response, officers)


def test_programmes_are_paginated_in_the_same_queries_for_any_page_size(
    db, tree, api, django_assert_max_num_queries
):
    for i in range(6):
        programme = Programme.objects.create(title=f"Programi {i}", level=Level.BASIC)
        Module.objects.bulk_create(
            [Module(programme=programme, position=p, title=f"M{p}", hours=4) for p in range(i)]
        )
    client = api("directorate")
    page = client.get("/api/v1/training/programmes?limit=2&offset=2").json()
    assert page["count"] == 6
    assert [p["title"] for p in page["items"]] == ["Programi 2", "Programi 3"]
    for limit in (1, 6):
        with django_assert_max_num_queries(6):
            assert len(client.get(f"/api/v1/training/programmes?limit={limit}").json()["items"]) == limit
