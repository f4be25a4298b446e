"""Keyed-in paper questionnaires: the wave's template, a workbook imported
whole or not at all with every bad cell listed, and the same file twice
adding nothing."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from cpis.core.models import IdempotencyRecord
from cpis.organisation.tests.factories import MunicipalityFactory
from cpis.surveys import workbook
from cpis.surveys.models import Response, WaveStatus
from cpis.surveys.services import paper

from .responses_factories import make_wave

pytestmark = pytest.mark.usefixtures("english")

HEADER = ["sector", "channel", "community", "gender", "age_band", "municipality", "safe_dark", "top_issue"]


def _xlsx(rows, header=HEADER) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "responses"
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


GOOD = [
    ["n1a", "", "", "female", "18-24", "", 4, "traffic"],
    ["n1b", "door", "serb", "", "", "", 2.0, ""],
    ["N1A", "meeting", "", "", "", "", "", "drugs"],
]


def _import(actor, wave, content):
    return paper.import_paper(
        actor, wave=wave, sheet=workbook.read_paper(content), file_hash=paper.file_hash(content)
    )


def test_a_keyed_in_workbook_is_imported_and_the_same_file_again_adds_nothing(tree, wave, actor_for, persona):
    content = _xlsx(GOOD)
    result = _import(actor_for("coordinator_n1"), wave, content)
    assert (result.created, result.already, result.held) == (3, 0, 0)
    responses = list(Response.objects.order_by("pk"))
    assert [r.sector for r in responses] == [tree.n1a, tree.n1b, tree.n1a]
    assert [r.channel for r in responses] == ["paper", "door", "meeting"]
    assert responses[0].answers == {"safe_dark": 4, "top_issue": "traffic"}
    assert responses[1].answers == {"safe_dark": 2} and responses[1].community == "serb"
    assert all(r.entered_by == persona("coordinator_n1") and r.meeting is None for r in responses)
    again = _import(actor_for("commander_n1"), wave, content)  # someone else uploads the same file
    assert (again.created, again.already) == (0, 3)
    assert Response.objects.count() == 3


def test_a_workbook_with_bad_cells_writes_nothing_and_lists_every_bad_cell(tree, wave, actor_for):
    rows = [
        ["n1a", "", "", "", "", "", 4, "traffic"],  # a good row: not written either
        ["zz9", "", "", "", "", "", 3, ""],  # unknown sector
        ["n1b", "bus", "martian", "", "", "xx", 9, "aliens"],  # five bad cells
        ["", "", "", "", "", "", 1, ""],  # no sector
    ]
    with pytest.raises(paper.PaperRejected) as rejected:
        _import(actor_for("coordinator_n1"), wave, _xlsx(rows))
    found = {(e.row, e.column, e.header, e.value) for e in rejected.value.errors}
    assert found == {
        (3, "A", "sector", "zz9"),
        (4, "B", "channel", "bus"),
        (4, "C", "community", "martian"),
        (4, "F", "municipality", "xx"),
        (4, "G", "safe_dark", 9),
        (4, "H", "top_issue", "aliens"),
        (5, "A", "sector", None),
    }
    assert all(e.reason for e in rejected.value.errors)
    assert not Response.objects.exists() and not IdempotencyRecord.objects.exists()


def test_unknown_columns_and_a_missing_sector_column_are_reported(tree, wave, actor_for):
    content = _xlsx([[4, "x"]], header=["safe_dark", "favourite_colour"])
    with pytest.raises(paper.PaperRejected) as rejected:
        _import(actor_for("coordinator_n1"), wave, content)
    reasons = {(e.row, e.header) for e in rejected.value.errors}
    assert reasons == {(1, "favourite_colour"), (1, "sector")}


def test_a_value_in_a_column_without_a_heading_is_reported(tree, wave, actor_for):
    content = _xlsx([["n1a", "", "", "", "", "", 4, "", "stray"]])
    with pytest.raises(paper.PaperRejected) as rejected:
        _import(actor_for("coordinator_n1"), wave, content)
    assert [(e.row, e.column, e.value) for e in rejected.value.errors] == [(2, "I", "stray")]


def test_rows_for_a_sector_outside_the_reviewers_places_are_refused(tree, actor_for):
    national = make_wave(tree.root, name="Kombëtare")
    content = _xlsx([["n1a", "", "", "", "", "", 4, ""], ["s1a", "", "", "", "", "", 4, ""]])
    with pytest.raises(paper.PaperRejected) as rejected:
        _import(actor_for("coordinator_n1"), national, content)
    assert [(e.row, e.header) for e in rejected.value.errors] == [(3, "sector")]
    assert not Response.objects.exists()


def test_a_closed_wave_or_a_file_that_is_not_a_workbook_is_refused(tree, wave, actor_for):
    with pytest.raises(paper.InvalidInput, match="not an XLSX"):
        workbook.read_paper(b"sector,channel\nn1a,paper\n")
    wave.status = WaveStatus.CLOSED
    wave.save()
    with pytest.raises(paper.WaveNotOpen):
        _import(actor_for("coordinator_n1"), wave, _xlsx(GOOD))


def test_municipality_codes_are_read(tree, wave, actor_for):
    municipality = MunicipalityFactory(code="graqanice")
    content = _xlsx([["n1a", "", "", "", "", "GRAQANICE", 4, ""]])
    _import(actor_for("coordinator_n1"), wave, content)
    assert Response.objects.get().municipality == municipality


# --- the template and the pages ------------------------------------------------------------


def test_the_template_has_the_columns_lists_and_ranges(tree, wave, client_for):
    MunicipalityFactory(code="prishtine")
    response = client_for("coordinator_n1").get(f"/staff/surveys/paper/{wave.pk}/template.xlsx")
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment")
    book = load_workbook(io.BytesIO(response.content))
    sheet = book["responses"]
    header = [cell.value for cell in sheet[1]]
    codes = list(wave.version.questions.order_by("position").values_list("code", flat=True))
    assert header == [*paper.FIXED_COLUMNS, *codes]
    rules = {str(rule.sqref).split(":")[0]: rule for rule in sheet.data_validations.dataValidation}
    assert rules["A2"].type == "list" and rules["G2"].type == "whole"  # sector; safe_dark 1–5
    assert (rules["G2"].formula1, rules["G2"].formula2) == ("1", "5")
    lists = book["lists"]
    assert lists.sheet_state == "hidden"
    assert [c.value for c in lists["A"] if c.value][1:] == ["n1a", "n1b"]
    # The template, filled in, imports as it is.
    sheet.append(["n1b", "", "", "", "", "prishtine", 5])
    out = io.BytesIO()
    book.save(out)
    assert _import_as(client_for("coordinator_n1"), wave, out.getvalue()).status_code == 302
    assert Response.objects.get().sector == tree.n1b


def _import_as(client, wave, content):
    upload = SimpleUploadedFile("paper.xlsx", content, content_type=workbook.CONTENT_TYPE)
    return client.post("/staff/surveys/paper/", {"wave": wave.pk, "file": upload}, HTTP_ACCEPT_LANGUAGE="en")


def test_the_page_lists_every_bad_cell_and_imports_nothing(tree, wave, client_for):
    content = _xlsx([["n1a", "", "", "", "", "", 7, ""], ["n1b", "", "", "", "", "", 4, "aliens"]])
    refused = _import_as(client_for("coordinator_n1"), wave, content)
    assert refused.status_code == 400
    page = refused.content.decode()
    assert 'id="cell-errors"' in page and "Nothing was imported: 2 cells need correcting." in page
    assert not Response.objects.exists()
    good = _xlsx(GOOD)
    done = _import_as(client_for("coordinator_n1"), wave, good)
    assert done.status_code == 302
    again = _import_as(client_for("coordinator_n1"), wave, good)
    message = str(next(iter(again.wsgi_request._messages)))
    assert "3 rows of this file had been imported before" in message
    assert Response.objects.count() == 3


def test_only_reviewers_import_paper(tree, wave, client_for):
    assert client_for("officer_n1a").get("/staff/surveys/paper/").status_code == 403
    assert client_for("officer_n1a").get(f"/staff/surveys/paper/{wave.pk}/template.xlsx").status_code == 404
    assert client_for("commander_s1").get(f"/staff/surveys/paper/{wave.pk}/template.xlsx").status_code == 404
    assert client_for("coordinator_n1").get("/staff/surveys/paper/").status_code == 200
