import csv
import io

from django.urls import reverse
from openpyxl import load_workbook

from cpis.concerns.tests.factories import submit
from cpis.core.exports import safe_cell


def test_cells_that_a_spreadsheet_would_run_are_neutralised():
    for dangerous in ["=1+1", "+1", "-2", "@SUM(A1)", "\tx", "\rx", '=HYPERLINK("http://evil")']:
        assert safe_cell(dangerous).startswith("'")
    assert safe_cell("Normal text") == "Normal text"
    assert safe_cell(42) == 42


def test_the_csv_export_is_scoped_safe_and_without_personal_data(tree, client_for):
    mine = submit(
        description='=HYPERLINK("http://evil.example","click")', reporter_email="secret@example.org"
    ).concern
    submit(lat=41.95, lon=21.05)  # another region
    response = client_for("commander_n1").get(reverse("concerns:export", args=["csv"]))
    assert response.status_code == 200
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][0] == "reference"
    assert [r[0] for r in rows[1:]] == [mine.reference]
    assert rows[1][rows[0].index("description")].startswith("'=")
    assert "secret@example.org" not in text
    assert "received" in rows[1][rows[0].index("status_history")]


def test_the_xlsx_export_opens_and_is_safe(tree, client_for):
    submit(description="-1+2 looks like a formula")
    response = client_for("commander_n1").get(reverse("concerns:export", args=["xlsx"]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    header = [c.value for c in sheet[1]]
    assert sheet.cell(row=2, column=header.index("description") + 1).value.startswith("'-")


def test_a_sector_officer_may_not_export(tree, client_for):
    assert client_for("officer_n1a").get(reverse("concerns:export", args=["csv"])).status_code == 403
