"""The surveys' JSON API: questionnaires, waves and results, scoped by place."""

import pytest

from cpis.organisation.models import UnitKind
from cpis.organisation.tests.factories import UnitFactory
from cpis.surveys.models import QuestionnaireVersion, ResponseStatus, WaveStatus

from .test_exports import answer, make_wave

RESULT_KEYS = {
    "item",
    "place",
    "place_code",
    "place_name",
    "level",
    "group",
    "estimate",
    "ci_low",
    "ci_high",
    "n",
    "n_effective",
    "weighted",
    "method",
    "suppressed",
}


@pytest.fixture
def waves(populated, version):
    """A national wave with answers in every sector (n1b below the minimum), a wave of
    station N1 and one of station S1."""
    tree = populated
    national = make_wave(tree, version, name="National")
    for sector, n, agree in ((tree.n1a, 40, 30), (tree.n1b, 6, 3), (tree.s1a, 30, 10)):
        answer(national, sector, agree, answers={"confidence": 5, "safety_score": 8, "top_issue": "drugs"})
        answer(
            national, sector, n - agree, answers={"confidence": 2, "safety_score": 4, "top_issue": "theft"}
        )
    answer(national, tree.s1a, 2, status=ResponseStatus.HELD)
    n1 = make_wave(tree, version, place=tree.n1, name="Station N1")
    s1 = make_wave(tree, version, place=tree.s1, name="Station S1")
    s1.status = WaveStatus.CLOSED
    s1.save()
    return {"national": national, "n1": n1, "s1": s1}


def results_of(client, wave, **query):
    return client.get(f"/api/v1/surveys/waves/{wave.pk}/results", query)


# --- questionnaires -----------------------------------------------------------------


def test_questionnaires_come_with_their_versions_and_drafts_only_for_designers(version, tree, api):
    draft = QuestionnaireVersion.objects.create(
        questionnaire=version.questionnaire, number=2, title_sq="D", title_sr="Д", title_en="D"
    )
    body = api("commander_n1").get("/api/v1/surveys/questionnaires").json()
    assert body["count"] == 2
    found = {q["code"]: q for q in body["items"]}
    assert [v["number"] for v in found["safety-and-trust"]["versions"]] == [1]
    assert found["safety-and-trust"]["name_en"] == "Safety and trust"
    designer = api("directorate").get("/api/v1/surveys/questionnaires").json()
    versions = {q["code"]: q["versions"] for q in designer["items"]}["safety-and-trust"]
    assert [(v["id"], v["status"]) for v in versions] == [(draft.pk, "draft"), (version.pk, "published")]
    assert api("standards").get("/api/v1/surveys/questionnaires").status_code == 404


def test_a_questionnaire_gives_every_question_with_its_kind_options_and_texts(version, tree, api):
    body = api("officer_n1a").get(f"/api/v1/surveys/questionnaires/{version.questionnaire_id}").json()
    [v] = body["versions"]
    assert v["title_sr"] and v["title_en"] and v["status"] == "published"
    questions = {q["code"]: q for q in v["questions"]}
    assert [q["position"] for q in v["questions"]] == sorted(q["position"] for q in v["questions"])
    assert questions["confidence"]["kind"] == "agree5"
    confidence = questions["confidence"]
    assert (confidence["text_sq"], confidence["text_sr"], confidence["text_en"]) == (
        "Duke marrë parasysh gjithçka, kam besim te policia në këtë zonë.",
        "Узимајући све у обзир, имам поверења у полицију у овом подручју.",
        "Taking everything into account, I have confidence in the police in this area.",
    )
    options = questions["top_issue"]["options"]
    assert options[1] == {
        "code": "drugs",
        "position": 2,
        "label_sq": "Droga",
        "label_sr": "Дрога",
        "label_en": "Drugs",
    }
    assert questions["issue_text"]["kind"] == "text" and questions["issue_text"]["options"] == []
    assert api("officer_n1a").get("/api/v1/surveys/questionnaires/999999").status_code == 404


# --- waves --------------------------------------------------------------------------


def test_the_waves_a_caller_sees_are_at_below_or_above_their_places(waves, api, pages, tree, version):
    for n in range(3):
        make_wave(tree, version, place=tree.n1a, name=f"Sector A {n}")
    count, _names = pages(api("directorate"), "/api/v1/surveys/waves", "name", queries=12)
    assert count == 6
    sector_officer = api("officer_n1a").get("/api/v1/surveys/waves").json()
    assert {w["name"] for w in sector_officer["items"]} == {
        "National",
        "Station N1",
        "Sector A 0",
        "Sector A 1",
        "Sector A 2",
    }
    assert api("commander_s1").get("/api/v1/surveys/waves").json()["count"] == 2
    body = api("commander_n1").get("/api/v1/surveys/waves").json()
    assert {w["name"] for w in body["items"]} >= {"National", "Station N1"}
    assert "Station S1" not in {w["name"] for w in body["items"]}
    national = next(w for w in body["items"] if w["name"] == "National")
    assert national["responses"] == 76  # the held ones are not counted
    assert (
        national["min_n"] == 10
        and national["status"] == "open"
        and national["questionnaire"] == "safety-and-trust"
    )
    assert national["place_id"] == waves["national"].place_id and national["version"] == 1
    assert national["starts_on"] == "2026-10-01"
    closed = api("commander_s1").get("/api/v1/surveys/waves?status=closed").json()["items"]
    assert [w["name"] for w in closed] == ["Station S1"]


def test_a_wave_gives_its_items_and_is_not_found_outside_the_callers_places(waves, api):
    body = api("commander_n1").get(f"/api/v1/surveys/waves/{waves['n1'].pk}").json()
    items = {i["key"]: i for i in body["items"]}
    assert items["confidence"]["is_share"] and not items["safety_score"]["is_share"]
    assert (
        items["top_issue:drugs"]["question"] == "top_issue" and items["top_issue:drugs"]["option"] == "drugs"
    )
    assert "issue_text" not in items
    assert api("commander_n1").get(f"/api/v1/surveys/waves/{waves['s1'].pk}").status_code == 404
    assert api("commander_n1").get(f"/api/v1/surveys/waves/{waves['s1'].pk}/results").status_code == 404


# --- results ------------------------------------------------------------------------


def test_one_result_per_item_place_and_group_with_shares_between_0_and_1(waves, api):
    body = results_of(api("directorate"), waves["national"], level="country").json()
    assert (body["level"], body["min_n"], body["weighted"]) == ("country", 10, True)
    results = body["results"]
    assert all(set(r) == RESULT_KEYS for r in results)
    assert len(results) == len(body["items"]) == len({r["item"] for r in results})
    by_item = {r["item"]: r for r in results}
    confidence = by_item["confidence"]
    # 30/40 of 3,000 people, 3/6 of 1,000 and 10/30 of 2,000: (2250 + 500 + 667) / 6000.
    assert confidence["estimate"] == pytest.approx((2250 + 500 + 2000 / 3) / 6000)
    assert 0 < confidence["ci_low"] < confidence["estimate"] < confidence["ci_high"] < 1
    assert confidence["n"] == 76 and confidence["method"] == "wilson" and not confidence["suppressed"]
    assert by_item["safety_score"]["method"] == "t" and by_item["safety_score"]["estimate"] > 1
    shares = [r for r in results if r["item"] != "safety_score" and not r["suppressed"]]
    assert all(0 <= r["estimate"] <= 1 for r in shares)
    assert by_item["rely"]["suppressed"] and by_item["rely"]["n"] == 0


def test_sector_results_are_suppressed_below_the_minimum(waves, api):
    results = results_of(api("directorate"), waves["national"], level="sector", item="confidence").json()
    by_code = {(r["place_code"], r["method"]): r for r in results["results"]}
    small = by_code[("n1b", "wilson")]
    assert small["suppressed"] and small["n"] == 6
    assert (small["estimate"], small["ci_low"], small["ci_high"], small["n_effective"]) == (
        None,
        None,
        None,
        None,
    )
    assert not by_code[("n1a", "wilson")]["suppressed"]


def test_at_sector_level_the_small_area_estimate_is_a_record_of_its_own_beside_the_direct_one(
    waves, api, tree
):
    wave = waves["national"]
    for station, codes in ((tree.n1, ("n1c", "n1d")), (tree.s1, ("s1b", "s1c"))):
        for k, code in enumerate(codes):
            sector = UnitFactory(parent=station, code=code, kind=UnitKind.SECTOR, population=1500)
            answer(wave, sector, 12, answers={"confidence": 5})
            answer(wave, sector, 8 + 4 * k, answers={"confidence": 1})
    results = results_of(api("directorate"), wave, level="sector", item="confidence").json()["results"]
    assert {r["method"] for r in results} == {"wilson", "small_area"}
    assert len([r for r in results if r["method"] == "wilson"]) == 7
    small_area = [r for r in results if r["method"] == "small_area"]
    assert small_area
    for r in small_area:
        direct = results[results.index(r) - 1]
        assert (direct["place"], direct["item"], direct["method"]) == (r["place"], r["item"], "wilson")
        if not r["suppressed"]:
            assert r["ci_low"] <= r["estimate"] <= r["ci_high"] and 0 <= r["estimate"] <= 1
    # A small sector's figure stays suppressed whatever the method.
    assert all(r["suppressed"] for r in results if r["place_code"] == "n1b")


def test_a_station_commander_reads_only_their_own_places(waves, api, tree):
    client = api("commander_n1")
    stations = results_of(client, waves["national"], level="station").json()["results"]
    assert {r["place"] for r in stations} == {tree.n1.pk}
    sectors = results_of(client, waves["national"], level="sector", item="confidence").json()["results"]
    assert {r["place"] for r in sectors} == {tree.n1a.pk, tree.n1b.pk}
    refused = results_of(client, waves["national"], level="country")
    assert refused.status_code == 403 and refused.json()["detail"]
    assert results_of(client, waves["national"], level="region").status_code == 403
    assert results_of(client, waves["national"], level="sector", place=tree.s1a.pk).status_code == 404
    assert results_of(client, waves["national"], level="sector", place=tree.n1b.pk).json()["results"][0][
        "place"
    ] == (tree.n1b.pk)


def test_a_place_narrows_the_results_to_the_places_under_it(waves, api, tree):
    client = api("directorate")
    body = results_of(
        client, waves["national"], level="sector", place=tree.north.pk, item="confidence"
    ).json()
    assert {r["place_code"] for r in body["results"]} == {"n1a", "n1b"}
    english = api("directorate", HTTP_ACCEPT_LANGUAGE="en")
    station_wave = results_of(english, waves["n1"], level="station", place=tree.s1.pk)
    assert station_wave.status_code == 404
    assert station_wave.json()["detail"] == "This wave does not survey this place."


def test_groups_and_items(waves, api):
    client = api("directorate")
    body = results_of(client, waves["national"], level="country", group="gender", item="top_issue").json()
    assert {r["group"] for r in body["results"]} == {"gender:female", "gender:male", "gender:other"}
    assert {r["item"] for r in body["results"]} == {i["key"] for i in body["items"]}
    assert {i["key"] for i in body["items"]} >= {"top_issue:drugs", "top_issue:theft"}
    assert all(r["suppressed"] for r in body["results"])  # nobody said their gender
    one = results_of(
        client, waves["national"], level="country", group="community:serb", item="confidence"
    ).json()
    assert [(r["group"], r["item"]) for r in one["results"]] == [("community:serb", "confidence")]


@pytest.mark.parametrize(
    ("query", "status"),
    [
        ({"level": "district"}, 400),
        ({"level": "country", "group": "height"}, 400),
        ({"level": "country", "group": "gender:tall"}, 400),
        ({"level": "country", "item": "no_such_item"}, 400),
        ({"level": "station", "place": "sector"}, 400),  # a level above the place
        ({"level": "sector", "place": 999999}, 404),
        ({"level": "sector", "place": "x"}, 422),
    ],
)
def test_bad_queries_get_a_clear_answer_in_the_projects_error_shape(waves, api, tree, query, status):
    if query.get("place") == "sector":
        query = {**query, "place": tree.n1a.pk}
    with_language = api("directorate", HTTP_ACCEPT_LANGUAGE="en")
    response = results_of(with_language, waves["national"], **query)
    assert response.status_code == status
    assert response.json()["detail"]
    if query.get("level") == "district":
        assert (
            "district" in response.json()["detail"]
            and "sector, station, region or country" in response.json()["detail"]
        )


def test_the_results_need_credentials(waves, client):
    assert client.get(f"/api/v1/surveys/waves/{waves['national'].pk}/results").status_code == 401
    assert client.get("/api/v1/surveys/waves").status_code == 401


def test_results_follow_new_responses(waves, api, tree):
    client = api("directorate")
    before = results_of(
        client, waves["national"], level="sector", place=tree.n1b.pk, item="confidence"
    ).json()
    assert before["results"][0]["suppressed"]
    answer(waves["national"], tree.n1b, 4, answers={"confidence": 4})
    after = results_of(client, waves["national"], level="sector", place=tree.n1b.pk, item="confidence").json()
    direct = after["results"][0]
    assert not direct["suppressed"] and direct["n"] == 10
    assert direct["estimate"] == pytest.approx(0.7)
