"""Element 6 of the six-monthly evaluation: the figures against a computation made
here, the comparisons, the chart, and no person named."""

import json
import math
from datetime import date

import pytest

from cpis.core import registry
from cpis.media.evaluation import previous_period, section


@pytest.fixture
def half_years(tree, log):
    # 2025 H1 at the north: 6 positive, 2 neutral, 2 negative; 2024 H2: 1 positive, 3 negative;
    # 2024 H1: 2 neutral; the south: 5 negative in 2025 H1 (not the north's).
    for i in range(6):
        log(tree.n1a, day=date(2025, 1 + i, 3), tone="positive", topic="forums")
    for i in range(2):
        log(tree.n1b, day=date(2025, 2, 10 + i), tone="neutral", topic="crime")
        log(tree.n1, day=date(2025, 6, 10 + i), tone="negative", topic="crime")
    log(tree.n1a, day=date(2024, 8, 1), tone="positive")
    for i in range(3):
        log(tree.n1a, day=date(2024, 9, 1 + i), tone="negative")
    for i in range(2):
        log(tree.n1a, day=date(2024, 4, 1 + i), tone="neutral")
    for i in range(5):
        log(tree.s1a, day=date(2025, 3, 1 + i), tone="negative")


def test_the_section_is_named_in_the_apps_config():
    assert section in registry.evaluation_sections()


def test_previous_period_of_a_half_year_is_the_half_year_before():
    assert previous_period(date(2025, 1, 1), date(2025, 6, 30)) == (date(2024, 7, 1), date(2024, 12, 31))
    assert previous_period(date(2025, 7, 1), date(2025, 12, 31)) == (date(2025, 1, 1), date(2025, 6, 30))


def test_the_section_counts_tone_and_compares_net_tone(tree, half_years, persona):
    result = section(tree.north, date(2025, 1, 1), date(2025, 6, 30))
    assert result is not None
    assert result.element == 6
    stored = json.loads(json.dumps(result.to_json()))
    by_topic, comparison = stored["tables"]
    total_row = by_topic["rows"][-1]
    assert total_row[1:5] == [6, 2, 2, 10]
    assert total_row[5] == pytest.approx(0.4, abs=1e-3)
    # this period, the previous half-year (2024 H2), the same half-year a year earlier (2024 H1)
    assert [row[2] for row in comparison["rows"]] == [10, 4, 2]
    p, q, n = 0.6, 0.2, 10
    half = 1.959964 * math.sqrt((p + q - (p - q) ** 2) / n)
    assert comparison["rows"][0][5:8] == pytest.approx([0.4, 0.4 - half, 0.4 + half], abs=1e-3)
    assert comparison["rows"][1][5] == pytest.approx(-0.5, abs=1e-3)
    assert comparison["rows"][2][5] == pytest.approx(0.0, abs=1e-3)
    chart = stored["charts"][0]
    assert chart["labels"] == ["2025-01", "2025-02", "2025-03", "2025-04", "2025-05", "2025-06"]
    assert [sum(s["values"]) for s in chart["series"]] == [6, 2, 2]
    # In every language; and no person is named (the reports were logged by "admin").
    assert set(stored["title"]) >= {"sq", "en"}
    text = json.dumps(stored, ensure_ascii=False)
    assert persona("admin").get_username() not in text
    assert "Report number" not in text  # no headline either


def test_the_national_section_counts_every_place_and_a_quiet_place_has_none(tree, half_years):
    national = section(tree.root, date(2025, 1, 1), date(2025, 6, 30))
    assert national is not None
    assert national.to_json()["tables"][0]["rows"][-1][4] == 15
    assert section(tree.s1a, date(2023, 1, 1), date(2023, 6, 30)) is None
