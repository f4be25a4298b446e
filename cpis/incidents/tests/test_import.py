"""Importing incidents: CSV, XLSX and GeoJSON with a column mapping; every
reason a row is rejected, as written in the rejects file; batches that land
whole or not at all; re-imports that add nothing; the Toronto preset on the
real file; the command. On PostgreSQL only: test_import_postgres.py."""

import csv
import importlib.resources
import io
import json
from datetime import date, datetime, time, timedelta
from pathlib import Path

import numpy as np
import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError
from django.utils import timezone, translation
from openpyxl import Workbook

from cpis.core.errors import InvalidInput
from cpis.incidents import services, writing
from cpis.incidents.models import ImportRun, Incident, IncidentCategory, RunStatus
from cpis.incidents.parsing import SeenIds
from cpis.incidents.taxonomy import CATEGORIES, labels
from cpis.organisation.access import Actor

from .conftest import N1A, N1B

MAPPING = {
    "source_id": "Nr",
    "category": "Vepra",
    "occurred_on": "Data",
    "occurred_time": "Ora",
    "lat": "Gjerësia",
    "lon": "Gjatësia",
    "place": "Vendi",
}
MIDNIGHT = datetime(2023, 7, 1, 0, 0)  # noqa: DTZ001 - a spreadsheet's date cell has no time zone
HEADER = ["Nr", "Vepra", "Data", "Ora", "Gjerësia", "Gjatësia", "Vendi", "Emri i viktimës"]


def write_csv(path: Path, rows: list[list[str]], header: list[str] = HEADER, delimiter: str = ",") -> Path:
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, delimiter=delimiter)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def run_import(path, **options):
    options.setdefault("source", "kp-ims")
    options.setdefault("mapping", MAPPING)
    return services.import_incidents(Actor.system(), path_or_file=path, **options)


def rejects_of(run: ImportRun) -> list[dict[str, str]]:
    if not run.rejects_file:
        return []
    with run.rejects_file.open("rb") as stored:
        return list(csv.DictReader(io.StringIO(stored.read().decode("utf-8-sig"))))


def test_a_csv_is_imported_with_its_mapping_placed_and_without_unmapped_columns(
    tree, taxonomy, tmp_path, good_rows
):
    run = run_import(write_csv(tmp_path / "kp.csv", good_rows))
    assert run.status == RunStatus.DONE, run.error
    assert (run.rows, run.created, run.updated, run.unchanged, run.rejected) == (4, 4, 0, 0, 0)
    assert run.unplaced == 1 and run.progress == 1.0 and not run.rejects_file
    got = {i.source_id: i for i in Incident.objects.select_related("category", "sector")}
    assert {sid: i.category.code for sid, i in got.items()} == {
        "A-1": "burglary",
        "A-2": "burglary",
        "A-3": "vehicle-theft",
        "A-4": "assault",
    }
    assert {i.occurred_on for i in got.values()} == {date(2024, 3, 2)}
    assert [got[k].occurred_time for k in ("A-1", "A-2", "A-3", "A-4")] == [
        time(21, 40),
        time(7),
        None,
        time(0, 5),
    ]
    assert (got["A-1"].sector, got["A-1"].unit_path) == (tree.n1a, tree.n1a.path)
    assert got["A-2"].sector == tree.n1b and got["A-3"].sector == tree.s1a
    # Outside every sector: no sector, and the directorate's path (national roles see it).
    assert (got["A-4"].sector, got["A-4"].unit_path) == (None, tree.root.path)
    assert (got["A-1"].lat, got["A-1"].lon, got["A-1"].place) == (42.55, 21.05, "Rr. Agim Ramadani")
    assert all(i.import_run_id == run.pk and i.source == "kp-ims" for i in got.values())
    # The victim's name was in the file and is nowhere in the database.
    assert not Incident.objects.filter(place__contains="Fisteku").exists()


def test_every_bad_row_is_rejected_with_its_reason_and_the_rest_imported(tree, taxonomy, tmp_path):
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    rows = [
        ["B-1", "burglary", "2024-01-05", "10:00", *N1A, "ok", ""],  # line 2
        ["", "burglary", "2024-01-05", "", *N1A, "", ""],  # 3: no id
        ["B-3", "Pickpocketing", "2024-01-05", "", *N1A, "", "Drita Fisteku"],  # 4: unknown category
        ["B-4", "", "2024-01-05", "", *N1A, "", ""],  # 5: no category
        ["B-5", "theft", "", "", *N1A, "", ""],  # 6: no date
        ["B-6", "theft", "yesterday", "", *N1A, "", ""],  # 7: not a date
        ["B-7", "theft", "2023-02-30", "", *N1A, "", ""],  # 8: impossible date
        ["B-8", "theft", tomorrow, "", *N1A, "", ""],  # 9: future
        ["B-9", "theft", "1850-01-01", "", *N1A, "", ""],  # 10: too early
        ["B-10", "theft", "2024-01-05", "25:00", *N1A, "", ""],  # 11: not a time
        ["B-11", "theft", "2024-01-05", "", "north", "21.05", "", ""],  # 12: not a latitude
        ["B-12", "theft", "2024-01-05", "", "42.55", "east", "", ""],  # 13: not a longitude
        ["B-13", "theft", "2024-01-05", "", "95", "21.05", "", ""],  # 14: latitude out of range
        ["B-14", "theft", "2024-01-05", "", "42.55", "-181", "", ""],  # 15: longitude out of range
        ["B-15", "theft", "2024-01-05", "", "0", "0", "", ""],  # 16: 0, 0
        ["B-16", "theft", "2024-01-05", "", "42.55", "", "", ""],  # 17: half a point
        ["B-17", "theft", "2024-01-05", "", "", "", "", ""],  # 18: nowhere
        ["B-18", "theft", "2024-01-05", "", *N1A, "x" * 201, ""],  # 19: place too long
        ["B-1", "theft", "2024-01-06", "", *N1B, "", ""],  # 20: id again
        ["B" * 101, "theft", "2024-01-05", "", *N1A, "", ""],  # 21: id too long
        ["B-21", "theft", "2024-01-05", "", *N1A, "bell\x07", ""],  # 22: control character
        ["B-22", "theft", "2024-01-05", "", *N1A, "ok", ""],  # 23
    ]
    run = run_import(write_csv(tmp_path / "bad.csv", rows))
    assert run.status == RunStatus.DONE
    assert (run.rows, run.created, run.rejected) == (22, 2, 20)
    assert set(Incident.objects.values_list("source_id", flat=True)) == {"B-1", "B-22"}
    rejects = rejects_of(run)
    # The mapped columns only: the victim's name, mapped to nothing, never enters.
    assert list(rejects[0]) == ["line", "reason", *HEADER[:-1]]
    assert not any("Emri i viktimës" in row or "Drita" in str(row.values()) for row in rejects)
    reasons = {int(r["line"]): r["reason"] for r in rejects}
    assert sorted(reasons) == list(range(3, 23))
    expected = {
        3: "No id in the source.",
        4: "Unknown category “Pickpocketing”.",
        5: "No category.",
        6: "No date.",
        7: "“yesterday” is not a date.",
        8: "“2023-02-30” is not a valid date.",
        9: f"The date {tomorrow} is in the future.",
        10: "The date 1850-01-01 is before 1900-01-01.",
        11: "“25:00” is not a time (HH:MM or an hour from 0 to 23).",
        12: "“north” is not a latitude.",
        13: "“east” is not a longitude.",
        14: "The latitude 95.0 is out of range (−90 to 90).",
        15: "The longitude -181.0 is out of range (−180 to 180).",
        16: "The coordinates are 0, 0: the place is unknown.",
        17: "Give both the latitude and the longitude, or neither.",
        18: "No coordinates (and no unit).",
        19: "The place is longer than 200 characters.",
        20: "The id “B-1” was already on line 2.",
        21: "The id is longer than 100 characters.",
        22: "The place contains characters that are not allowed.",
    }
    assert reasons == expected
    # The original columns follow, as they were.
    pickpocket = next(r for r in rejects if r["line"] == "4")
    assert (pickpocket["Nr"], pickpocket["Vepra"], pickpocket["Gjerësia"]) == (
        "B-3",
        "Pickpocketing",
        "42.55",
    )


def test_reasons_are_written_in_the_importers_language(tree, taxonomy, tmp_path):
    with translation.override("en"):
        run = run_import(write_csv(tmp_path / "x.csv", [["C-1", "Nope", "2024-01-05", "", *N1A, "", ""]]))
    assert rejects_of(run)[0]["reason"] == "Unknown category “Nope”."


def test_reimporting_the_same_file_adds_nothing_and_a_changed_row_is_updated(
    tree, taxonomy, tmp_path, good_rows
):
    path = write_csv(tmp_path / "kp.csv", good_rows)
    first = run_import(path)
    again = run_import(path)
    assert (again.created, again.updated, again.unchanged, again.rejected) == (0, 0, 4, 0)
    assert Incident.objects.count() == 4
    # Unchanged rows are not written: they still belong to the first run.
    assert set(Incident.objects.values_list("import_run_id", flat=True)) == {first.pk}
    good_rows[1][1] = "Robbery"  # A-2 reclassified
    good_rows[2][4:6] = N1A  # A-3 moved to another sector
    changed = run_import(write_csv(tmp_path / "kp.csv", good_rows))
    assert (changed.created, changed.updated, changed.unchanged) == (0, 2, 2)
    a2, a3 = Incident.objects.get(source_id="A-2"), Incident.objects.get(source_id="A-3")
    assert a2.category.code == "robbery" and a2.import_run_id == changed.pk
    assert (a3.sector, a3.unit_path) == (tree.n1a, tree.n1a.path)
    # Another source may use the same ids.
    other = run_import(path, source="kp-other")
    assert other.created == 4 and Incident.objects.count() == 8


def test_a_repeated_id_is_rejected_across_batches_naming_its_first_line(tree, taxonomy, tmp_path):
    rows = [[f"D-{i % 5}", "theft", "2024-01-05", "", *N1A, "", ""] for i in range(12)]
    run = run_import(write_csv(tmp_path / "dup.csv", rows), batch_size=3)
    assert (run.created, run.rejected) == (5, 7)
    reasons = {int(r["line"]): r["reason"] for r in rejects_of(run)}
    assert reasons[7] == "The id “D-0” was already on line 2."
    assert reasons[13] == "The id “D-1” was already on line 3."


def test_seen_ids_find_every_earlier_id_and_only_those():
    seen = SeenIds()
    ids = [f"id-{i}" for i in range(5000)]
    for start in range(0, 5000, 700):
        part = ids[start : start + 700]
        first, second = seen.keys(part)
        seen.add(first, second, np.arange(start + 2, start + 2 + len(part)))
    found = seen.earlier(*seen.keys(["id-0", "id-4999", "id-2500", "nope", "id-"]))
    assert found.tolist() == [2, 5001, 2502, 0, 0]


def test_a_batch_that_fails_in_the_database_leaves_nothing_and_the_run_says_where(
    tree, taxonomy, tmp_path, monkeypatch
):
    rows = [[f"E-{i}", "theft", "2024-01-05", "", *N1A, "", ""] for i in range(1, 10)]
    original = writing.OrmWriter.write
    calls = []

    def flaky(self, prepared, *, now):
        calls.append(1)
        written = original(self, prepared, now=now)  # the rows are written…
        if len(calls) == 2:
            raise DatabaseError("disk full")  # …and then the database fails
        return written

    monkeypatch.setattr(writing.OrmWriter, "write", flaky)
    run = run_import(write_csv(tmp_path / "e.csv", rows), batch_size=4, use_copy=False)
    assert run.status == RunStatus.FAILED
    assert run.error == "The rows from line 6 on were not saved: disk full"
    assert sorted(Incident.objects.values_list("source_id", flat=True)) == ["E-1", "E-2", "E-3", "E-4"]
    run.refresh_from_db()
    assert (run.rows, run.created, run.rejected) == (4, 4, 0)
    # Running it again finishes the job and adds nothing twice.
    monkeypatch.setattr(writing.OrmWriter, "write", original)
    again = run_import(tmp_path / "e.csv", batch_size=4, use_copy=False)
    assert (again.status, again.created, again.unchanged) == (RunStatus.DONE, 5, 4)


def test_an_xlsx_sheet_with_typed_cells_is_imported(tree, taxonomy, tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.append(["id", "category", "date", "time", "y", "x", "place"])
    sheet.append([1001, "Grabitje", MIDNIGHT, time(23, 15), 42.55, 21.15, "Qendra"])
    sheet.append([1002.0, "domestic violence", date(2023, 7, 2), 8, 41.95, 21.05, None])
    sheet.append([None, None, None, None, None, None, None])  # an empty row is skipped
    sheet.append([1003, "theft", "31.12.2023", "08:30", "42,55", "21,05", "Treg"])
    sheet.append([1004, "theft", date(2099, 1, 1), None, 42.55, 21.05, None])
    path = tmp_path / "kp.xlsx"
    book.save(path)
    mapping = {"source_id": "id", "occurred_on": "date", "occurred_time": "time", "lat": "y", "lon": "x"}
    run = run_import(path, mapping=mapping)
    assert (run.rows, run.created, run.rejected) == (4, 3, 1)
    got = {i.source_id: i for i in Incident.objects.select_related("category")}
    assert got["1001"].category.code == "robbery" and got["1001"].occurred_time == time(23, 15)
    assert got["1002"].category.code == "domestic-violence" and got["1002"].occurred_time == time(8)
    assert got["1002"].sector == tree.s1a
    assert (got["1003"].occurred_on, got["1003"].lat, got["1003"].sector) == (
        date(2023, 12, 31),
        42.55,
        tree.n1a,
    )
    assert rejects_of(run)[0]["line"] == "6"


def test_a_geojson_collection_of_points_is_imported(tree, taxonomy, tmp_path):
    def feature(pid, geometry, **properties):
        return {"type": "Feature", "geometry": geometry, "properties": {"id": pid, **properties}}

    point = {"type": "Point", "coordinates": [21.15, 42.55]}
    data = {
        "type": "FeatureCollection",
        "features": [
            feature("G-1", point, kind="Vjedhje", day="2022-05-01", station=None),
            feature("G-2", {"type": "Polygon", "coordinates": []}, kind="theft", day="2022-05-01"),
            feature("G-3", None, kind="theft", day="2022-05-02", station="n1"),
            feature("G-4", None, kind="theft", day="2022-05-02", station="nowhere"),
        ],
    }
    path = tmp_path / "kp.geojson"
    path.write_text(json.dumps(data), encoding="utf-8")
    run = run_import(
        path, mapping={"source_id": "id", "category": "kind", "occurred_on": "day", "unit": "station"}
    )
    assert (run.rows, run.created, run.rejected, run.unplaced) == (4, 2, 2, 1)
    g1, g3 = Incident.objects.get(source_id="G-1"), Incident.objects.get(source_id="G-3")
    assert (g1.lon, g1.lat, g1.sector) == (21.15, 42.55, tree.n1b)
    # Only the station is known: its path, no sector, no coordinates.
    assert (g3.sector, g3.unit_path, g3.lat) == (None, tree.n1.path, None)
    reasons = {r["line"]: r["reason"] for r in rejects_of(run)}
    assert reasons == {
        "2": "The geometry is not a point with longitude and latitude.",
        "4": "Unknown unit “nowhere”.",
    }


def test_quoted_fields_blank_lines_semicolons_and_decimal_commas_are_read(tree, taxonomy, tmp_path):
    text = (
        "Nr;Vepra;Data;Ora;Gjerësia;Gjatësia;Vendi\r\n"
        'Q-1;theft;05.01.2024;;42,55;21,05;"Rr. ""Nëna Terezë"";\r\n nr. 4"\r\n'
        "\r\n"
        "Q-2;Nope;05.01.2024;;42,55;21,05;x\r\n"
    )
    path = tmp_path / "semi.csv"
    path.write_bytes(("\ufeff" + text).encode("utf-8"))
    run = run_import(path)
    assert (run.created, run.rejected) == (1, 1)
    q1 = Incident.objects.get()
    assert (q1.place, q1.lat, q1.lon) == ('Rr. "Nëna Terezë"; nr. 4', 42.55, 21.05)
    # The rejected row is on line 5: its quoted field spanned lines 2–3 and line 4 was blank.
    assert rejects_of(run)[0]["line"] == "5"


def test_the_toronto_preset_reads_a_slice_of_the_real_file(tree, taxonomy, tmp_path):
    """Toronto Police MCI (real data): no ids, dates with a time-zone
    artefact, the hour in its own column. The peer is the csv module reading
    the same rows."""
    source = importlib.resources.files("mci_model") / "datasets" / "test.csv"
    with source.open(encoding="utf-8") as whole:
        lines = [next(whole) for _ in range(1501)]
    path = tmp_path / "mci-slice.csv"
    path.write_text("".join(lines), encoding="utf-8")
    expected = list(csv.DictReader(io.StringIO("".join(lines))))
    run = services.import_incidents(Actor.system(), path_or_file=path, preset="toronto-mci")
    assert (run.status, run.source, run.rows, run.rejected) == (RunStatus.DONE, "toronto-mci", 1500, 0)
    assert run.created == 1500 and run.unplaced == 1500  # Toronto lies in no Kosovo sector
    mci = {"Assault": "assault", "Break and Enter": "burglary", "Auto Theft": "vehicle-theft",
           "Robbery": "robbery", "Theft Over": "theft"}  # fmt: skip
    got = sorted(
        Incident.objects.values_list("category__code", "occurred_on", "occurred_time", "lat", "lon", "place")
    )
    want = sorted(
        (
            mci[row["MCI"]],
            date.fromisoformat(row["occurrencedate"][:10].replace("/", "-")),
            time(int(row["occurrencehour"])),
            float(row["Lat"]),
            float(row["Long"]),
            row["Neighbourhood"],
        )
        for row in expected
    )
    assert got == want
    again = services.import_incidents(Actor.system(), path_or_file=path, preset="toronto-mci")
    assert (again.created, again.unchanged) == (0, 1500)
    # Ids come from the rows, not the file: renamed and reordered, the same data adds nothing.
    renamed = tmp_path / "toronto (1).csv"
    renamed.write_text("".join([lines[0], *reversed(lines[1:])]), encoding="utf-8")
    third = services.import_incidents(Actor.system(), path_or_file=renamed, preset="toronto-mci")
    assert (third.created, third.unchanged, Incident.objects.count()) == (0, 1500, 1500)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"mapping": {**MAPPING, "colour": "Vendi"}}, "Unknown field “colour”."),
        (
            {"mapping": {**MAPPING, "category": "Kategoria"}},
            "The file has no column “Kategoria” (for category).",
        ),
        (
            {"mapping": {k: v for k, v in MAPPING.items() if k != "source_id"}},
            "Say which column holds source_id",
        ),
        ({"mapping": {k: v for k, v in MAPPING.items() if k != "lat"}}, "Map both the latitude"),
        ({"source": "KP IMS!"}, "The source must be a short code"),
        ({"fmt": "pdf"}, "Unknown format “pdf”"),
        ({"preset": "chicago"}, "Unknown preset “chicago”"),
        ({"batch_size": 0}, "The batch size must be from 1 to"),
    ],
)
def test_bad_options_are_refused_and_change_nothing(tree, taxonomy, tmp_path, good_rows, options, message):
    path = write_csv(tmp_path / "kp.csv", good_rows)
    with pytest.raises(InvalidInput, match=message.replace("(", r"\(").replace(")", r"\)")):
        run_import(path, **options)
    assert not ImportRun.objects.exists() and not Incident.objects.exists()


def test_a_file_that_is_not_utf8_or_not_a_workbook_is_refused(tree, taxonomy, tmp_path):
    latin = tmp_path / "latin.csv"
    latin.write_bytes("Nr,Vepra\nA,Vjedhje e rëndë\n".encode("cp1250").replace(b"Nr", b"N\xe9r"))
    with pytest.raises(InvalidInput, match="not UTF-8"):
        run_import(latin)
    fake = tmp_path / "fake.xlsx"
    fake.write_bytes(b"PK not really")
    with pytest.raises(InvalidInput, match="not an XLSX workbook"):
        run_import(fake)
    assert not ImportRun.objects.exists()


def test_only_the_directorate_imports(tree, taxonomy, tmp_path, actor_for, good_rows):
    from django.core.exceptions import PermissionDenied
    from django.http import Http404

    path = write_csv(tmp_path / "kp.csv", good_rows)
    with pytest.raises(PermissionDenied):
        services.import_incidents(actor_for("commander_n1"), path_or_file=path, source="x", mapping=MAPPING)
    with pytest.raises(Http404):
        services.import_incidents(actor_for("standards"), path_or_file=path, source="x", mapping=MAPPING)
    run = services.import_incidents(actor_for("directorate"), path_or_file=path, source="x", mapping=MAPPING)
    assert run.created == 4 and run.created_by.username == "directorate"


def test_the_command_imports_prints_a_summary_and_writes_the_rejects(
    tree, taxonomy, tmp_path, good_rows, capsys
):
    path = write_csv(tmp_path / "kp.csv", [*good_rows, ["A-9", "Nope", "2024-01-01", "", *N1A, "", ""]])
    mapping = tmp_path / "mapping.json"
    mapping.write_text(json.dumps({k: v for k, v in MAPPING.items() if k not in {"lat", "lon"}}))
    out = io.StringIO()
    call_command(
        "import_incidents", str(path), "--source", "kp-ims", "--mapping", str(mapping),
        "--map", "lat=Gjerësia", "--map", "lon=Gjatësia", "--rejects", str(tmp_path / "rejected.csv"),
        stdout=out,
    )  # fmt: skip
    assert "5 rows read" in out.getvalue() and "4 new" in out.getvalue() and "1 rejected" in out.getvalue()
    # The progress bar goes to the terminal's stderr, redrawn in place, and ends its line at the end.
    bar = capsys.readouterr().err
    assert bar.startswith("\r[") and bar.endswith("\n")
    assert f"[{'#' * 30}] 100 %  5 rows  " in bar and "rows/s  ETA 0 s" in bar
    rejected = list(csv.DictReader((tmp_path / "rejected.csv").read_text(encoding="utf-8-sig").splitlines()))
    assert [(r["line"], r["reason"]) for r in rejected] == [("6", "Unknown category “Nope”.")]
    with pytest.raises(CommandError, match="FIELD=COLUMN"):
        call_command("import_incidents", str(path), "--source", "kp", "--map", "lat")
    with pytest.raises(CommandError, match="no column"):
        call_command("import_incidents", str(path), "--source", "kp", "--map", "category=Nope")
    with pytest.raises(CommandError, match="There is no file"):
        call_command("import_incidents", str(tmp_path / "missing.csv"), "--source", "kp")


def test_every_label_of_the_taxonomy_names_one_category():
    owner: dict[str, str] = {}
    for code, sq, sr, en, _property, aliases in CATEGORIES:
        for label in labels(code, (sq, sr, en), aliases):
            assert owner.setdefault(label, code) == code, label
    assert len(CATEGORIES) == 15
    assert all(any("\u0400" <= ch <= "\u04ff" for ch in sr) for _c, _sq, sr, *_rest in CATEGORIES)


def test_the_seeded_taxonomy_is_in_the_database(taxonomy):
    assert IncidentCategory.objects.count() == 15
    assert taxonomy["burglary"].is_property and not taxonomy["assault"].is_property
    assert "Break and Enter" in taxonomy["burglary"].aliases


def test_a_preset_takes_ids_from_a_column_when_one_is_named(tree, taxonomy, tmp_path):
    header = ["event_unique_id", "occurrencedate", "occurrencehour", "MCI", "Neighbourhood", "Lat", "Long"]
    rows = [["GO-2014-1", "2014/03/02 05:00:00+00", "8", "Assault", "West Humber", "43.73", "-79.59"]]
    path = write_csv(tmp_path / "mci.csv", rows, header=header)
    run = services.import_incidents(
        Actor.system(), path_or_file=path, preset="toronto-mci", mapping={"source_id": "event_unique_id"}
    )
    assert run.created == 1
    assert Incident.objects.get().source_id == "GO-2014-1"


def test_a_queued_run_runs_once(tree, taxonomy, tmp_path, actor_for, good_rows):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from cpis.incidents import tasks

    data = write_csv(tmp_path / "kp.csv", good_rows).read_bytes()
    upload = SimpleUploadedFile("kp.csv", data)
    run = services.start_import(actor_for("directorate"), upload=upload, source="kp-ims", mapping=MAPPING)
    assert run.status == RunStatus.QUEUED and run.language
    assert tasks.run_import_task.call(run.pk) == RunStatus.DONE
    assert tasks.run_import_task.call(run.pk) == "not queued"
    run.refresh_from_db()
    assert (run.created, run.upload.name) == (4, "")
    assert Incident.objects.count() == 4


def test_lines_with_a_field_too_many_and_too_few_are_not_misread(tree, taxonomy, tmp_path):
    """Two such lines even out in a block's count of fields; each line's own
    count tells. A line with a field too many is refused (an unquoted comma
    would shift what follows); one with fields missing reads them empty."""
    text = (
        "Nr,Vepra,Data,Ora,Gjerësia,Gjatësia,Vendi\n"
        "R-1,theft,2024-01-05,,42.55,21.05,Rr. Dardania, nr. 4\n"
        "R-2,theft,2024-01-05,,42.55,21.05\n"
        "R-3,theft,2024-01-05,,42.55,21.05,Qendra\n"
    )
    path = tmp_path / "ragged.csv"
    path.write_text(text, encoding="utf-8")
    run = run_import(path)
    assert (run.created, run.rejected) == (2, 1)
    assert dict(Incident.objects.values_list("source_id", "place")) == {"R-2": "", "R-3": "Qendra"}
    (rejected,) = rejects_of(run)
    assert (rejected["line"], rejected["reason"]) == ("2", "The line has 8 fields where the header has 7.")
    assert rejected["Vendi"] == "Rr. Dardania"  # and the rest of the line after it
