"""The read side over many signed evaluations: a region's promotion list in its
order, each line explained, and element 2 of the six-monthly evaluation, which
names no officer and shows no one's score."""

import json
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from cpis.accounts.models import AccessLogEntry
from cpis.appraisals import evaluation as element
from cpis.appraisals import selectors, spec
from cpis.appraisals.models import Appeal, Outcome
from cpis.appraisals.tests.factories import expected_score, officer_at, signed_directly

CODES = [c["code"] for c in spec.AMENDED]
WEIGHTS = {c["code"]: c["weight"] for c in spec.AMENDED}
COMMUNITY = {c["code"]: c["weight"] for c in spec.AMENDED if c["is_community_policing"]}


def scores(*values: int) -> dict[str, int]:
    return dict(zip(CODES, values, strict=True))


def _sign(tree, persona, officer, values, *, year=2025, signed_at=None, unit=None):
    return signed_directly(
        {"officer": officer, "unit": unit or tree.n1a, "supervisor": persona("commander_n1"),
         "supervisor_unit": tree.n1, "period_start": date(year, 1, 1), "period_end": date(year, 12, 31)},
        values, signed_at=signed_at,
    )  # fmt: skip


@pytest.fixture
def ranked(tree, persona):
    """Four officers of rank officer in the north, one sergeant, one officer in the south."""
    a = officer_at(tree.n1a, last_name="Ahmeti")
    b = officer_at(tree.n1b, last_name="Berisha")
    c = officer_at(tree.n1a, last_name="Citaku")
    d = officer_at(tree.n1b, last_name="Dema")
    sergeant = officer_at(tree.n1a, rank="sergeant", last_name="Elezi")
    south = officer_at(tree.s1a, last_name="Fejza")
    _sign(tree, persona, a, scores(5, 5, 4, 4, 4, 3, 3, 3), year=2024)  # older, better: not the latest
    _sign(tree, persona, a, scores(3, 3, 3, 3, 3, 3, 3, 3))
    _sign(tree, persona, b, scores(4, 4, 4, 4, 4, 2, 2, 2))  # 3.4
    _sign(tree, persona, c, scores(2, 2, 2, 2, 2, 5, 5, 5))  # 2.9
    _sign(tree, persona, d, scores(3, 3, 3, 4, 4, 4, 4, 5))
    _sign(tree, persona, sergeant, scores(5, 5, 5, 5, 5, 5, 5, 5))
    _sign(tree, persona, south, scores(5, 5, 5, 5, 5, 5, 5, 5), unit=tree.s1a)
    return a, b, c, d


def test_the_promotion_list_ranks_the_latest_signed_evaluations_and_explains_each_line(
    tree, ranked, actor_for
):
    a, b, c, d = ranked
    lines = selectors.promotion_list(actor_for("personnel"), rank="officer", region=tree.north, request=None)
    expected = {
        a: expected_score(WEIGHTS, scores(3, 3, 3, 3, 3, 3, 3, 3)),
        b: expected_score(WEIGHTS, scores(4, 4, 4, 4, 4, 2, 2, 2)),
        c: expected_score(WEIGHTS, scores(2, 2, 2, 2, 2, 5, 5, 5)),
        d: expected_score(WEIGHTS, scores(3, 3, 3, 4, 4, 4, 4, 5)),
    }
    order = sorted(expected, key=lambda officer: -expected[officer])
    assert [line.officer for line in lines] == order
    assert [line.position for line in lines] == [1, 2, 3, 4]
    for line in lines:
        assert line.score == expected[line.officer]
        assert sum(part["part"] for part in line.parts) == line.score
        assert line.evaluation.period_end == date(2025, 12, 31)
    # Neither the sergeant nor the south's officer is on the north's list of officers.
    assert {line.officer.last_name for line in lines} == {"Ahmeti", "Berisha", "Citaku", "Dema"}
    assert AccessLogEntry.objects.filter(subject_type="appraisals.evaluation").count() == 4


def test_equal_scores_are_ranked_by_the_community_policing_criteria(tree, persona, actor_for):
    general = officer_at(tree.n1a, last_name="Aliu")
    community = officer_at(tree.n1a, last_name="Zeqiri")
    # Both 3.0: one by the general criteria, the other by the community-policing ones.
    _sign(tree, persona, general, scores(3, 3, 3, 3, 3, 3, 3, 3))
    _sign(tree, persona, community, scores(4, 3, 3, 3, 3, 1, 3, 3))
    lines = selectors.promotion_list(
        actor_for("director_north"), rank="officer", region=tree.north, request=None
    )
    assert [line.score for line in lines] == [Decimal("3.000"), Decimal("3.000")]
    assert [line.officer for line in lines] == [community, general]


def _at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 10, tzinfo=UTC)


def test_element_two_is_aggregated_and_names_no_officer(tree, persona):
    officers = [officer_at(tree.n1a, last_name=name) for name in ("Gashi", "Hoxha", "Islami", "Jashari")]
    values = [scores(5, 4, 4, 4, 4, 4, 4, 4), scores(3, 3, 3, 3, 3, 3, 3, 2), scores(2, 2, 3, 2, 2, 2, 2, 2),
              scores(4, 4, 4, 4, 4, 4, 4, 4)]  # fmt: skip
    signed = [
        _sign(tree, persona, officer, v, signed_at=_at(date(2026, 2, 10)))
        for officer, v in zip(officers, values, strict=True)
    ]
    Appeal.objects.create(
        evaluation=signed[2],
        reasons="x",
        reviewer_unit=tree.north,
        outcome=Outcome.CHANGED,
        decision_reason="y",
    )
    section = element.section(tree.north, date(2026, 1, 1), date(2026, 6, 30))
    assert section is not None and section.element == 2
    stored = section.to_json()
    text = json.dumps(stored, ensure_ascii=False)
    for officer in officers:
        assert officer.last_name not in text and officer.first_name not in text
    # No officer's own weighted score appears; the mean of the four does.
    individual = {str(e.score) for e in signed} | {f"{float(e.score):.2f}" for e in signed}
    for score in individual:
        assert f": {score}" not in text and f"{score}," not in text
    rows = {row[0]["en"]: row[1] for row in stored["tables"][0]["rows"]}
    assert rows["Evaluations signed"] == 4
    assert rows["Acknowledged without appeal (%)"] == 75.0
    assert rows["Appealed"] == 1 and rows["Appeals that changed ratings"] == 1
    mean_relationships = next(
        row
        for row in stored["tables"][1]["rows"]
        if row[0]["en"] == "Building relationships with the community"
    )
    assert mean_relationships[1] == pytest.approx((5 + 3 + 2 + 4) / 4)
    assert stored["charts"][0]["series"][0]["values"] == [0.0, 2.0, 0.0, 2.0]
    # Another period, or another region: nothing.
    assert element.section(tree.north, date(2025, 7, 1), date(2025, 12, 31)) is None
    assert element.section(tree.south, date(2026, 1, 1), date(2026, 6, 30)) is None


def test_element_two_shows_no_figures_for_fewer_than_three_evaluations(tree, persona):
    for name in ("Kastrati", "Lleshi"):
        _sign(tree, persona, officer_at(tree.n1a, last_name=name), scores(4, 4, 4, 4, 4, 4, 4, 4),
              signed_at=_at(date(2026, 3, 1)))  # fmt: skip
    section = element.section(tree.north, date(2026, 1, 1), date(2026, 6, 30))
    assert section is not None
    stored = section.to_json()
    assert stored["tables"] == [] and stored["charts"] == []
    assert "4.0" not in json.dumps(stored)
