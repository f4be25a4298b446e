"""The export pages: a wave's anonymised responses as CSV, XLSX and SPSS .sav,
the same rows and the same withholding in each format, every download logged."""

import csv
import io

import pytest
from openpyxl import load_workbook

from cpis.accounts.models import AccessLogEntry
from cpis.surveys.models import Response

from .test_exports import answer, make_wave


@pytest.fixture
def wave(populated, version):
    tree = populated
    w = make_wave(tree, version)
    answer(w, tree.n1a, 12, community="serb")
    answer(w, tree.n1b, 5)  # fewer than the wave's 10: never named
    answer(w, tree.s1a, 12)
    answer(w, tree.s1a, 1, answers={"issue_text": "Cleared words", "confidence": 2}, text_review="cleared")
    answer(w, tree.s1a, 1, answers={"issue_text": "Pending words"}, text_review="pending")
    answer(w, tree.s1a, 1, answers={"issue_text": "Withheld words"}, text_review="withheld")
    return w


def url(wave, fmt):
    return f"/staff/surveys/exports/{wave.pk}.{fmt}"


def test_the_csv_has_one_row_per_counted_response_and_no_small_sector(wave, client_for):
    response = client_for("directorate").get(url(wave, "csv"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].startswith(f'attachment; filename="survey-wave-{wave.pk}-')
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) == 32
    assert {r["sector"] for r in rows} == {"", "s1a"}
    assert "n1b" not in response.content.decode()
    assert sorted(r["issue_text"] for r in rows if r["issue_text"]) == ["Cleared words"]
    assert (
        "Pending words" not in response.content.decode() and "Withheld words" not in response.content.decode()
    )


def test_the_workbook_holds_the_same_rows_and_a_codebook(wave, client_for):
    response = client_for("directorate").get(url(wave, "xlsx"))
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content), read_only=True)
    assert book.sheetnames == ["responses", "codebook"]
    header, *rows = list(book["responses"].values)
    data = [dict(zip(header, row, strict=True)) for row in rows]
    assert len(data) == 32
    assert {d["sector"] for d in data} == {None, "s1a"}
    assert [d["issue_text"] for d in data if d["issue_text"]] == ["Cleared words"]
    codebook = {row[0]: row for row in list(book["codebook"].values)[1:]}
    assert set(codebook) == set(header)
    assert "drugs = " in codebook["top_issue"][3]
    assert "n1b" not in codebook["sector"][3] and "n1a" not in codebook["sector"][3]


def test_the_spss_file_has_labels_and_measures_and_withholds_the_same(wave, client_for, tmp_path):
    import pyreadstat

    response = client_for("directorate").get(url(wave, "sav"), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    path = tmp_path / "wave.sav"
    path.write_bytes(response.content)
    frame, meta = pyreadstat.read_sav(str(path))
    assert len(frame) == 32
    assert set(frame["sector"]) == {"", "s1a"}
    assert "n1b" not in meta.variable_value_labels["sector"]
    assert set(frame["issue_text"]) == {"", "Cleared words"}
    labels = meta.variable_value_labels
    assert labels["confidence"] == {
        1.0: "Strongly disagree",
        2.0: "Disagree",
        3.0: "Neither agree nor disagree",
        4.0: "Agree",
        5.0: "Strongly agree",
    }
    assert labels["know_officer"] == {1.0: "Yes", 0.0: "No"}
    assert labels["top_issue"]["drugs"] == "Drugs"
    assert labels["community"]["serb"] == "Serb"
    assert labels["wave"] == {float(wave.pk): wave.name}
    assert meta.column_names_to_labels["confidence"] == (
        "Taking everything into account, I have confidence in the police in this area."
    )
    assert meta.variable_measure["confidence"] == "ordinal"
    assert meta.variable_measure["weight"] == "scale"
    assert meta.variable_measure["top_issue"] == "nominal"
    assert frame["weight"].sum() == pytest.approx(6000)
    assert sorted(frame["number"]) == list(range(1, 33))
    assert frame["confidence"].isna().sum() == 2  # the two texts that gave no confidence answer


def test_every_download_is_logged_as_a_read_of_the_wave(wave, client_for, persona):
    client = client_for("directorate")
    for fmt in ("csv", "xlsx", "sav"):
        assert client.get(url(wave, fmt)).status_code == 200
    entries = AccessLogEntry.objects.filter(subject_type="surveys.wave", subject_id=str(wave.pk))
    assert entries.count() == 3
    assert {e.user_id for e in entries} == {persona("directorate").pk}
    assert {e.source for e in entries} == {url(wave, fmt) for fmt in ("csv", "xlsx", "sav")}


def test_who_may_not_export_at_the_waves_place_is_refused_and_nothing_is_logged(wave, client_for):
    assert client_for("commander_n1").get(url(wave, "csv")).status_code == 403
    assert client_for("officer_n1a").get(url(wave, "csv")).status_code == 403
    assert client_for("standards").get(url(wave, "csv")).status_code == 404
    assert client_for("directorate").get(url(wave, "pdf")).status_code == 404
    assert client_for("directorate").get(f"/staff/surveys/exports/{wave.pk + 100}.csv").status_code == 404
    assert client_for("citizen").get(url(wave, "csv")).status_code == 302
    assert not AccessLogEntry.objects.filter(subject_type="surveys.wave", outcome="read").exists()


def test_the_export_page_lists_the_waves_with_their_links(wave, populated, version, client_for):
    station_wave = make_wave(populated, version, place=populated.s1, name="Station S1 wave")
    page = client_for("directorate").get("/staff/surveys/exports/", HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    html = page.content.decode()
    for fmt in ("csv", "xlsx", "sav"):
        assert url(wave, fmt) in html and url(station_wave, fmt) in html
    assert "SPSS (.sav)" in html
    commander = client_for("commander_s1").get("/staff/surveys/exports/").content.decode()
    assert url(station_wave, "csv") in commander and url(wave, "csv") not in commander
    assert client_for("officer_n1a").get("/staff/surveys/exports/").status_code == 403
    assert Response.objects.filter(wave=wave).count() == 32


def test_labels_longer_than_spss_allows_are_cut_not_refused(wave, client_for, tmp_path):
    """A question in Cyrillic takes two bytes a letter: SPSS keeps 256 bytes of a
    variable's label and 120 of a value's; pyreadstat cuts longer ones at a letter."""
    import pyreadstat

    from cpis.surveys.models import Option, Question

    Question.objects.filter(version=wave.version, code="confidence").update(text_sr="Поверење " * 32)
    Option.objects.filter(question__version=wave.version, code="drugs").update(label_sr="Дрога " * 30)
    response = client_for("directorate").get(url(wave, "sav"), HTTP_ACCEPT_LANGUAGE="sr")
    assert response.status_code == 200
    path = tmp_path / "wave.sav"
    path.write_bytes(response.content)
    _frame, meta = pyreadstat.read_sav(str(path))
    label = meta.column_names_to_labels["confidence"]
    assert label.startswith("Поверење") and len(label.encode()) <= 256
    value = meta.variable_value_labels["top_issue"]["drugs"]
    assert value.startswith("Дрога") and len(value.encode()) <= 120
