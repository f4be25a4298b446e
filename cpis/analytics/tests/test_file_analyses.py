"""Analyses of the analyst's own file: `cpis analyse near_repeat --input FILE`
and the upload page. The CLI tests carry no database marker, so pytest-django
refuses any query: they prove the file path never touches the database.

The validation set is the Near Repeat Calculator's own output for Chicago's
2016 burglaries (../shared/validation/near-repeat): through the command, from
the CSV, in the file's own coordinate system (EPSG:26971), the observed table
must equal the NRC's cell for cell."""

import csv
import json
import re
from datetime import date
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from cpis.analytics import analyses
from cpis.analytics.models import AnalysisRun

NRC_SETTINGS = [
    "--mode", "nrc", "--space-bandwidth", "100", "--space-bands", "3", "--time-bandwidth", "2",
    "--time-bands", "2", "--metric", "euclidean", "--significance", "0.05",
]  # fmt: skip
CHICAGO_MAP = [
    "--map", "x=x", "--map", "y=y", "--map", "occurred_on=date_single", "--date-format", "%d/%m/%Y",
    "--crs", "EPSG:26971",
]  # fmt: skip


@pytest.fixture(autouse=True)
def _english():
    """The messages are read in English (the default language is Albanian)."""
    from django.utils import translation

    with translation.override("en"):
        yield


def run(*args: str) -> str:
    out = StringIO()
    call_command("analyse", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def nrc_observed(path: Path) -> dict[tuple[str, str], int]:
    """The NRC's "Observed frequencies distribution" as (row label, column label) → pairs."""
    lines = path.read_text().splitlines()
    start = next(k for k, line in enumerate(lines) if line.startswith("Observed frequencies distribution"))
    columns = [c.strip() for c in lines[start + 1].split(",")[2:] if c.strip()]
    table = {}
    for line in lines[start + 3 :]:
        cells = line.split(",")
        if not cells[0].strip().isdigit():
            break
        for column, value in zip(columns, cells[2 : 2 + len(columns)], strict=True):
            table[(cells[1].strip(), column)] = int(value)
    return table


# --- the NRC's validation set, through the command line ------------------------------------------


def test_the_nrc_chicago_2016_table_is_reproduced_cell_for_cell_from_the_csv_through_the_cli(
    shared_file, tmp_path
):
    source = shared_file("validation", "near-repeat", "chicago_burglary_2014_2017.csv")
    out = tmp_path / "knox.csv"
    output = run(
        "near_repeat", "--input", str(source), *CHICAGO_MAP, "--since", "2016-01-01", "--until", "2016-12-31",
        *NRC_SETTINGS, "--csv", str(out),
    )  # fmt: skip
    # the file's 45,319 rows: the 11,701 of 2016 used, the others left out (and said so), none rejected
    assert "45,319 rows read, 11,701 used, 0 rejected, 33,618 outside the period" in output
    assert "Distances in EPSG:26971 (NAD83 / Illinois East), the file's own coordinate system." in output
    nrc = nrc_observed(shared_file("validation", "near-repeat", "nrc_chicago_burglary_2016_verbose.csv"))
    rows = read_csv(out)
    ours = {
        (r["space"].removesuffix(" m"), r["time"].removesuffix(" days")): int(r["observed"]) for r in rows
    }
    assert len(nrc) == 15 and ours == nrc  # every cell, under the NRC's own labels
    assert ours[("Same location", "0 to 2")] == 202
    # beside each NRC label, the interval it really counts
    intervals = {(r["space"], r["time"]): (r["space_interval"], r["time_interval"]) for r in rows}
    assert intervals[("1 to 100 m", "3 to 4 days")] == ("(0, 100) m", "[2, 4) days")
    assert intervals[("More than 300 m", "More than 4 days")] == ("[300, ∞) m", "[4, ∞) days")
    # 19 permutations, as the NRC's 0.05 level: the p-values say so
    best = next(r for r in rows if r["space"] == "Same location" and r["time"] == "0 to 2 days")
    assert best["p_stated"] == "p ≤ 0.05 (19 permutations)"
    assert "so no p-value is below 0.05" in output
    # the alert speaks in the bands: "3 to 4 days" is gaps of 2 and 3 days
    assert "raised within 300 m on the same day or up to 3 days later" in output


def test_the_pathological_pair_lands_in_the_nrc_band_with_its_true_interval(shared_file, tmp_path):
    source = shared_file("validation", "near-repeat", "pathological_example.csv")
    out = tmp_path / "pair.csv"
    run(
        "near_repeat", "--input", str(source), "--map", "occurred_on=t", "--date-format", "%d/%m/%Y",
        "--crs", "EPSG:26971", "--mode", "nrc", "--space-bandwidth", "100", "--space-bands", "2",
        "--time-bandwidth", "3", "--time-bands", "2", "--metric", "euclidean", "--permutations", "0",
        "--csv", str(out),
    )  # fmt: skip
    (pair,) = [r for r in read_csv(out) if r["observed"] != "0"]
    # 100 m and 3 days apart: where the NRC puts it, and what that band really is
    assert (pair["space"], pair["time"]) == ("101 to 200 m", "4 to 6 days")
    assert (pair["space_interval"], pair["time_interval"]) == ("[100, 200) m", "[3, 6) days")
    # exact bands put it where it belongs
    run(
        "near_repeat", "--input", str(source), "--map", "occurred_on=t", "--date-format", "%d/%m/%Y",
        "--crs", "EPSG:26971", "--space-edges", "100,200", "--time-edges", "3,6", "--metric", "euclidean",
        "--permutations", "0", "--csv", str(out),
    )  # fmt: skip
    (pair,) = [r for r in read_csv(out) if r["observed"] != "0"]
    assert (pair["space_interval"], pair["time_interval"]) == ("(0, 100] m", "[0, 3] days")


# --- other formats, the projection, rejects -----------------------------------------------------


def _events(n: int = 40) -> list[tuple[float, float, date]]:
    """Events in Prishtina (lon, lat, day): a repeat of each at the same place two days later."""
    base = []
    for i in range(n // 2):
        lon, lat = 21.15 + (i % 7) * 0.003, 42.65 + (i // 7) * 0.003
        day = date(2025, 1, 1 + (5 * i) % 28)
        base.append((lon, lat, day))
        base.append((lon, lat, day.replace(day=min(day.day + 2, 28))))
    return base


def test_an_xlsx_file_in_lon_lat_is_measured_in_its_utm_zone_and_bad_rows_are_counted(tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["Longitude", "Latitude", "Date", "Name"])
    for lon, lat, day in _events():
        sheet.append([lon, lat, day, "never read"])
    sheet.append([21.2, 42.6, "not a date", "x"])
    sheet.append(["east", 42.6, date(2025, 3, 1), "x"])
    path = tmp_path / "events.xlsx"
    book.save(path)
    out = tmp_path / "knox.csv"
    output = run(
        "near_repeat", "--input", str(path), "--map", "lon=Longitude", "--map", "lat=Latitude",
        "--map", "occurred_on=Date", "--space-edges", "100,500", "--time-edges", "3,7",
        "--permutations", "19", "--csv", str(out),
    )  # fmt: skip
    assert "42 rows read, 40 used, 2 rejected" in output
    assert "“not a date” is not a date." in output and "“east” is not a number (lon)." in output
    assert "Coordinates in EPSG:4326." in output
    assert "Distances in EPSG:32634 (WGS 84 / UTM zone 34N), the UTM zone of the events." in output
    rows = read_csv(out)
    same = [r for r in rows if r["space_interval"] == "[0, 0] m" and r["time_interval"] == "[0, 3] days"]
    assert int(same[0]["observed"]) >= 20  # each repeat two days later at the same place


def test_a_geojson_file_with_a_projection_asked_for(tmp_path):
    features = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [lon, lat]},
            "properties": {"when": day.isoformat(), "kind": "burglary" if i % 4 else "theft"},
        }
        for i, (lon, lat, day) in enumerate(_events())
    ]
    features.append({"type": "Feature", "geometry": None, "properties": {"when": "2025-01-01"}})
    path = tmp_path / "events.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    output = run(
        "near_repeat", "--input", str(path), "--map", "occurred_on=when", "--map", "category=kind",
        "--category", "Burglary", "--projection", "EPSG:3857", "--space-bandwidth", "200",
        "--space-bands", "2", "--time-bandwidth", "7", "--time-bands", "1", "--permutations", "9",
    )  # fmt: skip
    assert "41 rows read, 30 used, 1 rejected, 10 outside the period or categories." in output
    assert "The geometry is not a point with two coordinates." in output
    assert "Distances in EPSG:3857 (WGS 84 / Pseudo-Mercator), as asked." in output


def test_a_database_without_units_is_not_needed(db, tmp_path, django_assert_num_queries):
    from cpis.organisation.models import Unit

    assert not Unit.objects.exists()
    path = tmp_path / "events.csv"
    path.write_text("x;y;date\n0;0;2025-01-01\n0;50;2025-01-02\n300;0;2025-01-09\n")
    with django_assert_num_queries(0):
        output = run(
            "near_repeat", "--input", str(path), "--crs", "EPSG:32634", "--map", "occurred_on=date",
            "--permutations", "0",
        )  # fmt: skip
    assert "3 rows read, 3 used, 0 rejected" in output and "alert:" in output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--map", "occurred_on=Day"], "The file has no column “Day” (for occurred_on)"),
        (["--map", "occurred_on=date", "--map", "street=x"], "Unknown field “street”"),
        (["--map", "occurred_on=date", "--map", "lon=x"], "Map both x and y"),
        (["--map", "occurred_on=date", "--crs", "EPSG:999999"], "is not one pyproj knows"),
        (["--map", "occurred_on=date", "--crs", "EPSG:32634", "--projection", "EPSG:4326"],
         "not a projected coordinate system in metres"),
        (["--map", "occurred_on=date", "--crs", "EPSG:32634", "--format", "xlsx"], "not an XLSX workbook"),
    ],
)  # fmt: skip
def test_a_bad_mapping_crs_or_file_is_a_clear_error_and_writes_nothing(tmp_path, args, message):
    path = tmp_path / "events.csv"
    path.write_text("x,y,date\n1,2,2025-01-01\n3,4,2025-01-02\n")
    out = tmp_path / "out.csv"
    with pytest.raises(CommandError, match=re.escape(message)):
        run("near_repeat", "--input", str(path), *args, "--permutations", "0", "--csv", str(out))
    assert not out.exists()


def test_file_options_without_a_file_are_refused():
    with pytest.raises(CommandError, match="--crs is for a file"):
        run("near_repeat", "--crs", "EPSG:26971")


def test_a_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="Cannot open"):
        run("near_repeat", "--input", str(tmp_path / "nothing.csv"), "--map", "occurred_on=date")


# --- band options --------------------------------------------------------------------------------


@pytest.fixture
def small_file(tmp_path):
    path = tmp_path / "events.csv"
    path.write_text("x,y,date\n0,0,2025-01-01\n0,0.4,2025-01-01\n0,100,2025-01-08\n0,150,2025-01-14\n")
    return ["--input", str(path), "--crs", "EPSG:32634", "--map", "occurred_on=date", "--permutations", "0"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--space-edges", "100,200", "--space-bandwidth", "100"], "Give either the distance edges"),
        (["--time-edges", "7,3"], "The time edges must be positive and increasing."),
        (["--space-edges", "100,x"], "space_edges is not valid"),
        (["--mode", "nrc", "--space-edges", "100,200"], "not edges"),
        (["--mode", "nrc", "--closed", "right"], "closed on the left"),
        (["--mode", "nrc", "--no-beyond"], "cannot change them"),
        (["--mode", "nrc", "--same-location", "0.5"], "cannot change them"),
        (["--same-location", "150", "--space-edges", "100,200"], "must reach beyond the same-location"),
        (["--no-same-location", "--same-location", "0.5"], "needs the same-location band"),
        (["--significance", "0.01", "--permutations", "19"], "means 99 permutations"),
    ],
)  # fmt: skip
def test_band_options_that_cannot_go_together_are_refused_with_the_reason(small_file, args, message):
    with pytest.raises(CommandError, match=re.escape(message)):
        run("near_repeat", *small_file, *args)


def test_band_options_of_near_repeat_are_refused_for_other_analyses():
    with pytest.raises(CommandError, match="--space-edges is a near_repeat option"):
        run("hotspots", "--space-edges", "100,200")


def test_davies_settings_are_expressible_and_each_band_says_its_interval(small_file, tmp_path):
    out = tmp_path / "davies.csv"
    run(
        "near_repeat", *small_file, "--same-location", "0.5", "--space-edges", "100,200",
        "--time-edges", "7,14", "--closed", "left", "--no-beyond", "--metric", "euclidean", "--csv", str(out),
    )  # fmt: skip
    rows = read_csv(out)
    assert [r["space_interval"] for r in rows[::2]] == ["[0, 0.5] m", "(0.5, 100) m", "[100, 200) m"]
    assert [r["time_interval"] for r in rows[:2]] == ["[0, 7) days", "[7, 14) days"]
    observed = {(r["space_interval"], r["time_interval"]): int(r["observed"]) for r in rows}
    assert observed[("[0, 0.5] m", "[0, 7) days")] == 1  # 0.4 m apart on the same day
    # 100 m and 7 days (on both edges: left-closed puts it in the upper bands), 150 m and 149.6 m at 13 days
    assert observed[("[100, 200) m", "[7, 14) days")] == 3
    assert observed[("(0.5, 100) m", "[7, 14) days")] == 1  # 99.6 m, 7 days
    # right-closed, "more than" on: the defaults of the exact mode
    run("near_repeat", *small_file, "--space-edges", "100", "--time-edges", "7", "--csv", str(out))
    assert [r["space_interval"] for r in read_csv(out)[::2]] == ["[0, 0] m", "(0, 100] m", "(100, ∞) m"]


# --- the alert sentence --------------------------------------------------------------------------


def test_the_alert_speaks_in_the_bands_terms():
    from django.utils import translation

    with translation.override("en"):
        assert analyses.risk_sentence({"distance": 600, "days": 0, "repeat_days": None}) == (
            "After an event, the risk of another is raised within 600 m on the same day."
        )
        assert analyses.risk_sentence({"distance": 600, "days": 13, "repeat_days": 20}) == (
            "After an event, the risk of another is raised within 600 m on the same day or up to 13 days "
            "later. At the same location it is raised on the same day or up to 20 days later."
        )
        space = {"same_location": True, "upper": [0.5, 100.0]}
        assert analyses.risk_sentence({"distance": 0, "days": 0, "repeat_days": 0}, space) == (
            "After an event, the risk of another is raised at the same location (within 0.5 m) "
            "on the same day."
        )
        assert analyses.risk_sentence(None) == ""


# --- the upload page -----------------------------------------------------------------------------


def _upload(tmp_path: Path) -> Path:
    path = tmp_path / "mine.csv"
    lines = ["X,Y,Day"] + [f"{x},{y},{day}" for x, y, day in [(0, 0, "01/03/2025"), (0, 60, "02/03/2025"),
             (500, 0, "20/03/2025"), (0, 40, "01/03/2025"), (900, 900, "oops")]]  # fmt: skip
    path.write_text("\n".join(lines) + "\n")
    return path


def _form(path: Path, **extra: str) -> dict:
    return {
        "file": path.open("rb"),
        "date_column": "Day",
        "date_format": "%d/%m/%Y",
        "x_column": "X",
        "y_column": "Y",
        "crs": "EPSG:32634",
        "mode": "exact",
        "space_edges": "50,100",
        "time_edges": "1,7",
        "metric": "euclidean",
        "permutations": "9",
        **extra,
    }


def test_upload_shows_the_table_and_offers_the_csv_storing_nothing(tree, english, tmp_path):
    client = english("commander_n1")
    url = reverse("analytics:near_repeat_file")
    assert client.get(url).status_code == 200
    response = client.post(url, _form(_upload(tmp_path)))
    page = response.content.decode()
    assert response.status_code == 200 and "Knox table of 4 events of mine.csv" in page
    assert "5 rows read, 4 used, 1 rejected" in page and "Line 6: “oops” is not a valid date." in page
    assert "EPSG:32634" in page and "the file&#x27;s own coordinate system" in page
    assert "(50, 100] m" in page and "data:text/csv;charset=utf-8;base64," in page
    download = client.post(url, _form(_upload(tmp_path), download="csv"))
    assert download["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(StringIO(download.content.decode("utf-8-sig"))))
    assert rows[0]["space_interval"] == "[0, 0] m" and len(rows) == 4 * 3
    assert not AnalysisRun.objects.exists()


def test_upload_with_keep_stores_the_result_and_a_bad_mapping_stores_nothing(tree, english, tmp_path):
    client = english("commander_n1")
    url = reverse("analytics:near_repeat_file")
    bad = client.post(url, _form(_upload(tmp_path), x_column="East"))
    assert bad.status_code == 200 and "The file has no column “East”" in bad.content.decode()
    assert not AnalysisRun.objects.exists()
    kept = client.post(url, _form(_upload(tmp_path), keep="on"))
    run = AnalysisRun.objects.get()
    assert kept.status_code == 302 and kept["Location"] == reverse("analytics:run", args=[run.pk])
    assert run.params["file"]["name"] == "mine.csv" and run.result["events"] == 4
    page = client.get(kept["Location"]).content.decode()
    assert "(50, 100] m" in page


def test_upload_is_for_staff_with_a_place(tree, english, tmp_path):
    assert english("no_role").get(reverse("analytics:near_repeat_file")).status_code in (302, 403, 404)


# --- the other analyses from a file --------------------------------------------------------------


def _cluster_file(tmp_path: Path) -> list[str]:
    """A year of scattered events in UTM 34N metres and a tight burst in the last fortnight."""
    import numpy as np

    rng = np.random.default_rng(7)
    start = date(2025, 1, 1).toordinal()
    rows = [
        (
            500_000 + rng.uniform(0, 5000),
            4_720_000 + rng.uniform(0, 5000),
            start + int(rng.integers(0, 365)),
            "b",
        )
        for _ in range(400)
    ]
    rows += [
        (
            502_000 + rng.uniform(0, 150),
            4_722_000 + rng.uniform(0, 150),
            start + 350 + int(rng.integers(0, 14)),
            "a",
        )
        for _ in range(40)
    ]
    path = tmp_path / "year.csv"
    path.write_text(
        "E,N,D,K\n"
        + "".join(f"{x:.1f},{y:.1f},{date.fromordinal(d).isoformat()},{k}\n" for x, y, d, k in rows)
    )
    return [
        "--input",
        str(path),
        "--map",
        "x=E",
        "--map",
        "y=N",
        "--map",
        "occurred_on=D",
        "--crs",
        "EPSG:32634",
    ]


def test_hotspots_trends_and_scan_also_run_from_a_file(tmp_path):
    source = _cluster_file(tmp_path)
    cells = tmp_path / "cells.geojson"
    output = run("hotspots", *source, "--cell", "250", "--permutations", "99", "--geojson", str(cells))
    assert "440 events" in output and "the file's own coordinate system" in output
    import pyproj

    lon, lat = pyproj.Transformer.from_crs(32634, 4326, always_xy=True).transform(502_075, 4_722_075)
    hot = [f for f in json.loads(cells.read_text())["features"] if f["properties"]["level"] > 0]
    assert hot  # all around the burst, drawn back in lon/lat from the file's projection
    for feature in hot:
        corner = feature["geometry"]["coordinates"][0][0]
        assert abs(corner[0] - lon) < 0.01 and abs(corner[1] - lat) < 0.01
    output = run("trends", *source, "--map", "category=K")
    assert "year.csv — 2025-12-31" in output
    assert [line.split()[0] for line in output.splitlines()[3:7]] == ["category", "b", "a", "all"]
    output = run("scan", *source, "--days", "120", "--window", "30", "--radius", "500", "--cell", "100",
                 "--replicates", "99")  # fmt: skip
    first = output.splitlines()[4].split()
    assert first[0] >= "2025-12-16" and first[1] == "2025-12-31" and int(first[2]) >= 30
    with pytest.raises(CommandError, match="not for a file"):
        run("scan", *source, "--save")
