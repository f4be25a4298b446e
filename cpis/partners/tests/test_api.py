"""The partners JSON API: staff only, scoped to the caller's places,
paginated, and never a contact person's or a volunteer's details."""

import json
from datetime import date

import pytest

from cpis.accounts.models import AccessLogEntry
from cpis.core.tests.helpers import json_keys, listing, statuses
from cpis.partners.models import AgreementStatus, PartnerKind, PartnerLevel

from . import factories as make

SECRETS = ("+383 44 123 456", "arta@example.org", "+383 49 555 111", "Arta Krasniqi")


@pytest.fixture
def registry(tree):
    """A municipal partner of station N1 with a contact and a signed memorandum,
    an NGO of sector N1A, a central ministry, and a partner of station S1;
    a volunteer at N1."""
    municipality = make.partner(tree.n1, name="Komuna e Mitrovicës", description="Zyra për siguri")
    make.contact(municipality)
    ngo = make.partner(tree.n1a, name="OJQ Paqja", kind=PartnerKind.NGO)
    ministry = make.partner(
        tree.root, name="Ministria e Arsimit", kind=PartnerKind.MINISTRY, level=PartnerLevel.CENTRAL
    )
    south = make.partner(tree.s1, name="Komuna e Prizrenit")
    memorandum = make.agreement(tree.n1, [municipality, ngo], title="Memorandum për shkollat")
    draft = make.agreement(tree.s1, [south], status=AgreementStatus.DRAFT, title="Marrëveshje në hartim")
    make.volunteer(tree.n1)
    return {
        "municipality": municipality,
        "ngo": ngo,
        "ministry": ministry,
        "south": south,
        "memorandum": memorandum,
        "draft": draft,
    }


def _no_personal_data(response) -> None:
    body = response.content.decode()
    for value in SECRETS:
        assert value not in body

    found = {
        k
        for k in json_keys(json.loads(body))
        if any(w in k for w in ("phone", "email", "address", "contact"))
    }
    assert found <= {"contact_count"}


@pytest.mark.parametrize("url", ["/api/v1/partners", "/api/v1/partners/agreements", "/api/v1/partners/1"])
def test_the_partner_endpoints_need_credentials(tree, client, url):
    assert client.get(url).status_code == 401


def test_the_registry_is_scoped_to_the_callers_places(registry, api):
    north = api("commander_n1").get("/api/v1/partners")
    assert north.status_code == 200
    assert [p["name"] for p in north.json()["items"]] == ["Komuna e Mitrovicës", "OJQ Paqja"]
    _no_personal_data(north)
    south = api("commander_s1").get("/api/v1/partners").json()
    assert [p["name"] for p in south["items"]] == ["Komuna e Prizrenit"]
    everyone = api("directorate").get("/api/v1/partners").json()
    assert everyone["count"] == 4


def test_the_registry_filters_by_kind_level_activity_and_text(registry, api):
    client = api("directorate")
    names = listing(client, "/api/v1/partners", "name")
    assert names("kind=ngo") == ["OJQ Paqja"]
    assert names("level=central") == ["Ministria e Arsimit"]
    assert names("q=siguri") == ["Komuna e Mitrovicës"]
    assert names("active=no") == []
    assert len(names("active=yes")) == 4
    assert client.get("/api/v1/partners?kind=friend").status_code == 422
    assert client.get("/api/v1/partners?active=maybe").status_code == 422


def test_the_registry_is_paginated_in_the_same_queries_for_any_page_size(tree, api, pages):
    for i in range(6):
        make.partner(tree.n1 if i % 2 else tree.n1a, name=f"Partneri {i}")
    page = pages(api("commander_n1"), "/api/v1/partners", "name", queries=5)
    assert page == (6, ["Partneri 1", "Partneri 2"])


def test_a_partner_comes_with_its_agreements_but_not_its_contacts(registry, api):
    partner = registry["municipality"]
    response = api("leader_n1a").get(f"/api/v1/partners/{partner.pk}")
    assert response.status_code == 404  # a sector leader sees the sector's partners only
    response = api("commander_n1").get(f"/api/v1/partners/{partner.pk}")
    assert response.status_code == 200
    data = response.json()
    assert data["name"] == "Komuna e Mitrovicës"
    assert data["contact_count"] == 1
    assert [a["title"] for a in data["agreements"]] == ["Memorandum për shkollat"]
    _no_personal_data(response)
    assert not AccessLogEntry.objects.reads().exists()


def test_another_places_partner_is_a_404(registry, api):
    client = api("commander_s1")
    theirs = (registry["municipality"].pk, registry["ministry"].pk, 999999)
    assert statuses(client, *(f"/api/v1/partners/{pk}" for pk in theirs)) == [404, 404, 404]
    theirs = client.get(f"/api/v1/partners/{registry['south'].pk}")
    assert theirs.status_code == 200 and theirs.json()["name"] == "Komuna e Prizrenit"


def test_agreements_are_scoped_filtered_and_name_their_partners(registry, api):
    north = api("commander_n1").get("/api/v1/partners/agreements")
    assert north.status_code == 200
    items = north.json()["items"]
    assert [a["title"] for a in items] == ["Memorandum për shkollat"]
    assert [p["name"] for p in items[0]["partners"]] == ["Komuna e Mitrovicës", "OJQ Paqja"]
    assert items[0]["signed_on"] == "2013-05-02"
    assert items[0]["has_document"] is False
    _no_personal_data(north)
    south = api("commander_s1").get("/api/v1/partners/agreements").json()
    assert [a["title"] for a in south["items"]] == ["Marrëveshje në hartim"]
    client = api("directorate")
    assert client.get("/api/v1/partners/agreements?status=draft").json()["count"] == 1
    assert client.get("/api/v1/partners/agreements?q=Paqja").json()["count"] == 1
    assert client.get("/api/v1/partners/agreements?kind=treaty").status_code == 422


def test_agreements_take_the_same_queries_for_any_page_size(tree, api, django_assert_max_num_queries):
    partners = [make.partner(tree.n1, name=f"Partneri {i}") for i in range(3)]
    for i in range(6):
        make.agreement(
            tree.n1, partners[: 1 + i % 3], title=f"Marrëveshja {i}", signed_on=date(2014, 1, 1 + i)
        )
    client = api("commander_n1")
    for limit in (1, 6):
        with django_assert_max_num_queries(6):
            data = client.get(f"/api/v1/partners/agreements?limit={limit}").json()
        assert len(data["items"]) == limit
    assert data["count"] == 6
