"""A wave's anonymised response-level data: one row per counted response, small
sectors never named (and never named by elimination), free text only once
cleared, the results engine's weights, nothing that identifies a person."""

import datetime as dt
from functools import partial

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone

from cpis.accounts.models import AccessLogEntry
from cpis.organisation.models import Municipality
from cpis.surveys.models import (
    Option,
    Question,
    Questionnaire,
    QuestionnaireVersion,
    Response,
    ResponseStatus,
)
from cpis.surveys.selectors import exports

from .responses_factories import add_responses, wave_of

SUBMITTED = dt.datetime(2026, 10, 14, 9, 37, tzinfo=dt.UTC)


make_wave = partial(wave_of, name="Autumn 2026")
ANSWERS = {"confidence": 4, "safety_score": 7, "top_issue": "drugs"}


def answer(wave, sector, n, *, answers=None, **fields):
    add_responses(
        wave,
        sector,
        n,
        lambda _i: ANSWERS if answers is None else answers,
        submitted_at=SUBMITTED,
        devices=True,
        **fields,
    )


def column(data, name):
    index = data.header.index(name)
    return [row[index] for row in data.rows]


@pytest.fixture
def wave(populated, version):
    """n1a: 12 counted, n1b: 5 (fewer than 10), s1a: 15; a held one and one of another wave."""
    w = make_wave(populated, version)
    answer(w, populated.n1a, 12, community="serb", gender="female", age_band="25-34")
    answer(w, populated.n1b, 5)
    answer(w, populated.s1a, 15)
    answer(w, populated.s1a, 1, status=ResponseStatus.HELD)
    answer(make_wave(populated, version, name="Other"), populated.s1a, 3)
    return w


def test_one_row_per_counted_response_of_the_wave(wave, actor_for):
    data = exports.response_data(actor_for("directorate"), wave, request=None)
    assert len(data.rows) == 32
    assert sorted(column(data, "number")) == list(range(1, 33))
    assert set(column(data, "wave")) == {wave.pk}
    assert set(column(data, "month")) == {"2026-10"}
    assert set(column(data, "channel")) == {"door"}


def test_a_small_sector_is_never_named_nor_left_alone_to_be_named_by_elimination(wave, actor_for):
    data = exports.response_data(actor_for("directorate"), wave, request=None)
    places = list(zip(column(data, "region"), column(data, "station"), column(data, "sector"), strict=True))
    # n1b has 5 answers: withheld. Alone it would be "the blank one of n1", so n1a goes with it.
    assert "n1b" not in column(data, "sector") and "n1a" not in column(data, "sector")
    assert places.count(("north", "n1", "")) == 17
    assert places.count(("south", "s1", "s1a")) == 15
    assert data.withheld_sectors == 2
    by_name = {c.name: c for c in data.columns}
    assert set(by_name["sector"].labels) == {"s1a"}  # no withheld sector among the value labels either


def test_withheld_rows_carry_no_municipality_and_their_pools_mean_weight(wave, actor_for):
    Response.objects.update(
        municipality=Municipality.objects.create(code="m1", name_sq="Komuna", seat_lon=21.0, seat_lat=42.5)
    )
    data = exports.response_data(actor_for("directorate"), wave, request=None)
    rows = [dict(zip(data.header, row, strict=True)) for row in data.rows]
    pooled = [r for r in rows if r["sector"] == ""]
    shown = [r for r in rows if r["sector"] == "s1a"]
    # (3000 + 1000) people over 17 answers, whichever sector each came from.
    assert {round(r["weight"], 4) for r in pooled} == {round(4000 / 17, 4)}
    assert {round(r["weight"], 4) for r in shown} == {round(2000 / 15, 4)}
    assert {r["municipality"] for r in pooled} == {""} and {r["municipality"] for r in shown} == {"m1"}
    # The weights still sum to the population of the sectors surveyed.
    assert sum(r["weight"] for r in rows) == pytest.approx(6000)


def test_the_weights_are_the_results_engines(wave):
    weights = exports.response_weights(wave)
    assert len(weights) == 32
    by_sector = dict(Response.objects.filter(pk__in=weights).values_list("pk", "sector__code"))
    assert {round(w, 6) for pk, w in weights.items() if by_sector[pk] == "n1b"} == {200.0}
    assert {round(w, 6) for pk, w in weights.items() if by_sector[pk] == "n1a"} == {250.0}


@pytest.mark.parametrize(
    ("counts", "shown"),
    [
        # Every sector big enough: every code shown.
        ({"a": 10, "b": 12}, {"a": 3, "b": 3}),
        # One small sector beside a shown one: the smallest shown sector is withheld with it.
        ({"a": 30, "b": 12, "c": 4}, {"a": 3, "b": 2, "c": 2}),
        # Two small sectors: they hide each other.
        ({"a": 30, "b": 3, "c": 4}, {"a": 3, "b": 2, "c": 2}),
        # The only sector of a station with answers, and small: the station is small too.
        ({"a": 4}, {"a": 0}),
    ],
)
def test_withheld_levels_of_the_sectors_of_one_station(counts, shown):
    keys = [("r", "r/s", f"r/s/{sector}") for sector, n in counts.items() for _ in range(n)]
    levels = exports.withheld_levels(keys, 10)
    found = {key[2][-1]: level for key, level in zip(keys, levels, strict=True)}
    assert found == shown


def test_a_small_station_takes_its_smallest_sibling_with_it():
    keys = [("r", "r/s", "r/s/a")] * 6 + [("r", "r/t", "r/t/b")] * 40 + [("r", "r/u", "r/u/c")] * 20
    levels = exports.withheld_levels(keys, 10)
    found = {key[2]: level for key, level in zip(keys, levels, strict=True)}
    assert found == {"r/s/a": 1, "r/t/b": 3, "r/u/c": 1}


def test_free_text_leaves_only_once_cleared(populated, version, actor_for):
    w = make_wave(populated, version, min_n=1)
    for review, text in (
        ("cleared", "Cleared words"),
        ("pending", "Pending words"),
        ("withheld", "Withheld words"),
    ):
        answer(w, populated.n1a, 1, answers={"issue_text": text, "confidence": 5}, text_review=review)
    data = exports.response_data(actor_for("directorate"), w, request=None)
    assert sorted(column(data, "issue_text")) == ["", "", "Cleared words"]
    flat = repr(data.rows)
    assert "Pending words" not in flat and "Withheld words" not in flat


def test_nothing_identifies_a_person(wave, actor_for, persona):
    Response.objects.update(entered_by=persona("officer_n1a"), language="sr")
    data = exports.response_data(actor_for("directorate"), wave, request=None)
    ids = set(Response.objects.values_list("pk", flat=True))
    flat = repr(data.rows)
    assert "device-" not in flat and "key-" not in flat and "officer_n1a" not in flat
    assert "09:37" not in flat and "2026-10-14" not in flat
    assert not {"device", "idempotency_key", "entered_by", "submitted_at", "id", "language"} & set(
        data.header
    )
    assert len(ids) > len(data.rows)  # the held response and the other wave's are not in it


def test_background_and_answers_with_their_value_labels(wave, actor_for):
    data = exports.response_data(actor_for("directorate"), wave, request=None)
    by_name = {c.name: c for c in data.columns}
    serb = [row for row in data.rows if row[data.header.index("community")] == "serb"]
    assert len(serb) == 12
    row = dict(zip(data.header, serb[0], strict=True))
    assert (row["gender"], row["age_band"]) == ("female", "25-34")
    assert (row["confidence"], row["safety_score"], row["top_issue"], row["rely"]) == (4, 7, "drugs", None)
    assert by_name["confidence"].labels[4] and by_name["confidence"].measure == "ordinal"
    assert set(by_name["know_officer"].labels) == {0, 1}
    assert set(by_name["top_issue"].labels) >= {"drugs", "theft"}
    assert by_name["safety_score"].measure == "scale" and by_name["weight"].measure == "scale"
    assert by_name["community"].labels["serb"]


@pytest.fixture
def multiple_version(db):
    questionnaire = Questionnaire.objects.create(code="test-multi", name_sq="Provë", name_en="Test")
    version = QuestionnaireVersion.objects.create(
        questionnaire=questionnaire,
        number=1,
        status="published",
        published_at=timezone.now(),
        title_sq="Provë",
        title_sr="Проба",
        title_en="Test",
    )
    sources = Question.objects.create(
        version=version, position=1, code="sources", kind="multiple", text_sq="Burimet", text_en="Sources"
    )
    for position, code in enumerate(("tv", "radio", "neighbours"), 1):
        Option.objects.create(question=sources, position=position, code=code, label_sq=code, label_en=code)
    # A code SPSS could not take as it is, and one it keeps for itself.
    Question.objects.create(
        version=version, position=2, code="top-pick", kind="yesno", text_sq="A", text_en="A"
    )
    Question.objects.create(version=version, position=3, code="to", kind="score10", text_sq="B", text_en="B")
    Question.objects.create(
        version=version, position=4, code="gender", kind="yesno", text_sq="C", text_en="C"
    )
    return version


def test_a_multiple_choice_is_one_0_1_column_per_option_and_names_fit_spss(tree, multiple_version, actor_for):
    w = make_wave(tree, multiple_version, min_n=1)
    answer(w, tree.n1a, 1, answers={"sources": ["tv", "neighbours"], "top-pick": 1, "to": 3, "gender": 0})
    answer(w, tree.n1a, 1, answers={"to": 9})
    data = exports.response_data(actor_for("directorate"), w, request=None)
    assert data.header[11:] == [
        "sources_tv",
        "sources_radio",
        "sources_neighbours",
        "top_pick",
        "to_2",
        "gender_2",
        "weight",
    ]
    rows = sorted((dict(zip(data.header, row, strict=True)) for row in data.rows), key=lambda r: r["to_2"])
    assert [rows[0][c] for c in ("sources_tv", "sources_radio", "sources_neighbours")] == [1, 0, 1]
    assert [rows[1][c] for c in ("sources_tv", "sources_radio", "sources_neighbours")] == [None, None, None]
    assert (rows[0]["top_pick"], rows[0]["gender_2"], rows[1]["top_pick"]) == (1, 0, None)


def test_only_those_who_may_export_at_the_waves_place_get_its_data(wave, populated, version, actor_for):
    station_wave = make_wave(populated, version, place=populated.n1, name="N1")
    assert exports.get_export_wave(actor_for("commander_n1"), station_wave.pk) == station_wave
    # A national wave: the commander sees it, but exports at their station only.
    with pytest.raises(PermissionDenied):
        exports.get_export_wave(actor_for("commander_n1"), wave.pk)
    with pytest.raises(PermissionDenied):
        exports.get_export_wave(actor_for("coordinator_n1"), station_wave.pk)
    with pytest.raises(Http404):
        exports.get_export_wave(actor_for("commander_s1"), station_wave.pk)
    with pytest.raises(PermissionDenied):
        exports.response_data(actor_for("commander_n1"), wave, request=None)
    assert [w.pk for w in exports.list_exportable_waves(actor_for("commander_n1"))] == [station_wave.pk]
    assert not AccessLogEntry.objects.filter(subject_type=exports.SUBJECT).exists()


def test_every_export_is_written_to_the_access_log(wave, actor_for, persona):
    exports.response_data(actor_for("directorate"), wave, request=None)
    [entry] = AccessLogEntry.objects.filter(subject_type="surveys.wave")
    assert (entry.subject_id, entry.user_id, entry.outcome) == (
        str(wave.pk),
        persona("directorate").pk,
        "read",
    )
