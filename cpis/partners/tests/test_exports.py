"""The registry and volunteer hours as CSV and XLSX: scoped to the user's
places, without personal data, and safe to open in a spreadsheet."""

import csv
import io
from datetime import date

from django.urls import reverse
from openpyxl import load_workbook

from cpis.partners.tests.factories import contact, hours, partner, volunteer


def _csv(response):
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_the_registry_csv_is_scoped_safe_and_without_contacts(tree, client_for):
    ours = partner(tree.n1, name='=HYPERLINK("http://evil.example","click")', description="@SUM(A1:A9)")
    contact(ours, name="Arta Krasniqi", phone="+383 44 987 654", email="arta.krasniqi@example.org")
    partner(tree.s1, name="Komuna e Prizrenit")
    response = client_for("officer_n1a").get(reverse("partners:export", args=["csv"]))
    assert response.status_code == 200  # no partner of their own: an empty registry
    assert len(_csv(response)) == 1
    response = client_for("coordinator_n1").get(reverse("partners:export", args=["csv"]))
    assert response["Content-Disposition"] == 'attachment; filename="partners.csv"'
    rows = _csv(response)
    header = rows[0]
    assert header[:4] == ["id", "name", "kind", "level"]
    assert [r[header.index("id")] for r in rows[1:]] == [str(ours.pk)]
    assert rows[1][header.index("name")].startswith("'=")
    assert rows[1][header.index("description")].startswith("'@")
    text = response.content.decode("utf-8-sig")
    for personal in ["Arta Krasniqi", "+383 44 987 654", "arta.krasniqi@example.org"]:
        assert personal not in text


def test_the_registry_xlsx_opens_and_is_safe(tree, client_for):
    partner(tree.n1, name="-1+2 Shoqata")
    response = client_for("coordinator_n1").get(reverse("partners:export", args=["xlsx"]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    header = [c.value for c in sheet[1]]
    assert sheet.cell(row=2, column=header.index("name") + 1).value == "'-1+2 Shoqata"


def test_the_hours_export_names_no_volunteer_and_is_safe(tree, client_for):
    helper = volunteer(tree.n1a, name="Dritan Berisha", contact="+383 49 555 111")
    hours(helper, date(2014, 2, 1), "2.5", activity="+ndihmë në trafik")
    hours(helper, date(2014, 9, 1), "1", activity="Patrullim")
    hours(volunteer(tree.s1, name="Goran Petrović"), date(2014, 2, 1), "3")
    response = client_for("coordinator_n1").get(
        reverse("partners:hours_export", args=["csv"]), {"period": "2014 H1"}
    )
    rows = _csv(response)
    assert rows[0] == ["date", "volunteer_id", "interest_group", "unit", "hours", "activity"]
    assert rows[1:] == [["2014-02-01", str(helper.pk), "", tree.n1a.name, "2.50", "'+ndihmë në trafik"]]
    text = response.content.decode("utf-8-sig")
    assert "Dritan Berisha" not in text and "+383 49 555 111" not in text
    everything = client_for("coordinator_n1").get(reverse("partners:hours_export", args=["xlsx"]))
    sheet = load_workbook(io.BytesIO(everything.content)).active
    assert sheet.max_row == 3


def test_an_unknown_export_format_answers_404(tree, client_for):
    assert client_for("coordinator_n1").get(reverse("partners:export", args=["pdf"])).status_code == 404
