import csv
import json
from io import StringIO

import pytest
import time_machine
from django.core.management import CommandError, call_command

from cpis.analytics.models import EmergingCluster

from .conftest import TODAY

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(f"{TODAY.isoformat()} 12:00 +02:00", tick=False):
        yield


def run(*args: str) -> str:
    out = StringIO()
    call_command("analyse", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_trends_table_and_csv(city, tmp_path):
    path = tmp_path / "trends.csv"
    output = run("trends", "--place", city.n1.path, "--csv", str(path))
    assert "burglary" in output and "28d_z" in output
    rows = list(csv.reader(path.open()))
    assert rows[0][0] == "category" and rows[-1][0] == "all"


def test_hotspots_write_geojson(city, tmp_path):
    path = tmp_path / "cells.geojson"
    output = run(
        "hotspots", "--place", "n1", "--category", "burglary", "--cell", "250", "--geojson", str(path)
    )
    assert "hot" in output
    assert json.loads(path.read_text())["type"] == "FeatureCollection"


def test_near_repeat_in_nrc_mode(city):
    output = run(
        "near_repeat", "--place", "n1", "--category", "burglary", "--mode", "nrc", "--permutations", "19"
    )
    assert "Same location" in output and "[a, b)" in output


def test_scan_saves_clusters(city, tmp_path):
    output = run("scan", "--place", "n1", "--category", "burglary", "--replicates", "99", "--save")
    assert "emerging clusters stored" in output
    assert EmergingCluster.objects.filter(unit=city.n1a).exists()


def test_unknown_place_and_bad_parameters_fail_cleanly(city):
    with pytest.raises(CommandError, match="No such place"):
        run("trends", "--place", "nowhere")
    with pytest.raises(CommandError, match="cell"):
        run("hotspots", "--cell", "-1")
