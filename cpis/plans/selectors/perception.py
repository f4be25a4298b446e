"""The evaluation's Evaluation 4 section: the citizens' perception of order and
public safety, from the surveys that ended in the half-year (or, when none did,
the latest before it), nationally and per region, with intervals, the change
since the previous wave and the number of answers.

`perception_section` is what an evaluation freezes (plain JSON, every language,
so the figures never change once frozen, whatever responses come or go later);
`read_perception` reads it back in the reader's language for the page, the PDF
and the workbook alike."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cpis.core.i18n import pick
from cpis.core.periods import Period
from cpis.organisation.models import translations
from cpis.surveys.selectors import public as surveys

DIGITS = 4


def _number(value: float | None) -> float | None:
    return None if value is None else round(float(value), DIGITS)


def _figure_entry(figure: surveys.Figure) -> dict[str, Any]:
    return {
        "estimate": _number(figure.estimate),
        "low": _number(figure.ci_low),
        "high": _number(figure.ci_high),
        "n": figure.n,
        "suppressed": figure.suppressed,
        "change": _number(figure.change),
        "change_low": _number(figure.change_low),
        "change_high": _number(figure.change_high),
    }


def _wave_entry(wave: Any) -> dict[str, Any]:
    previous = surveys.previous_wave(wave)
    rows = [
        h
        for h in (surveys.headline(wave, unit, previous=previous) for unit in surveys.report_places(wave))
        if h is not None
    ]
    first = rows[0] if rows else None
    return {
        "name": wave.name,
        "questionnaire": translations(wave.version.questionnaire, "name"),
        "version": wave.version.number,
        "place": translations(wave.place, "name"),
        "starts_on": wave.starts_on.isoformat(),
        "ends_on": wave.ends_on.isoformat(),
        "status": wave.status,
        "min_n": wave.min_n,
        "responses": first.responses if first else 0,
        "previous": (
            {
                "name": previous.name,
                "starts_on": previous.starts_on.isoformat(),
                "ends_on": previous.ends_on.isoformat(),
            }
            if previous is not None
            else None
        ),
        "items": [
            {"key": f.item, "text": f.texts, "is_share": f.is_share} for f in (first.figures if first else [])
        ],
        "rows": [
            {
                "level": h.level,
                "place": translations(h.unit, "name"),
                "responses": h.responses,
                "figures": {f.item: _figure_entry(f) for f in h.figures},
                "issues": [{"text": f.texts, "estimate": _number(f.estimate)} for f in h.issues],
            }
            for h in rows
        ],
    }


def perception_section(period: Period) -> dict[str, Any]:
    """The perception surveys an evaluation of `period` reports, as plain JSON."""
    waves, basis = surveys.waves_for_period(period.start, period.end)
    return {"version": 1, "basis": basis, "waves": [_wave_entry(w) for w in waves]}


# --- reading it back, in the reader's language ------------------------------------------


@dataclass(frozen=True)
class Cell:
    """One figure as the reports print it: "72 %" and "66–78", the change "+8 pp"
    (`clear` when its 95 % interval excludes zero), or suppressed."""

    item: str
    estimate: float | None  # a share as a percentage, a mean as it is
    low: float | None
    high: float | None
    change: float | None
    change_low: float | None
    change_high: float | None
    n: int
    suppressed: bool
    text: str = ""
    interval: str = ""
    change_text: str = ""
    clear: bool = False


@dataclass(frozen=True)
class Row:
    level: str
    place: str
    responses: int
    cells: list[Cell]
    issues: list[tuple[str, str]]


@dataclass(frozen=True)
class Item:
    key: str
    short: str
    text: str
    is_share: bool


@dataclass(frozen=True)
class WaveView:
    name: str
    questionnaire: str
    place: str
    starts_on: date
    ends_on: date
    responses: int
    min_n: int
    previous: str
    items: list[Item]
    rows: list[Row] = field(default_factory=list)


@dataclass(frozen=True)
class Perception:
    basis: str
    note: str
    waves: list[WaveView]


def _share(value: float) -> str:
    return _("%(value)s%%") % {"value": formats.number_format(value, 0)}


def _cell(item: Item, entry: Mapping[str, Any] | None) -> Cell:
    entry = entry or {"n": 0, "suppressed": True}
    scale = 100.0 if item.is_share else 1.0
    places = 0 if item.is_share else 1

    def scaled(key: str) -> float | None:
        value = entry.get(key)
        return None if value is None else round(value * scale, 1 if item.is_share else 2)

    estimate, low, high = scaled("estimate"), scaled("low"), scaled("high")
    change, change_low, change_high = scaled("change"), scaled("change_low"), scaled("change_high")
    if entry.get("suppressed") or estimate is None:
        return Cell(item.key, None, None, None, None, None, None, int(entry.get("n", 0)), suppressed=True)
    text = _share(estimate) if item.is_share else str(formats.number_format(estimate, places))
    interval = ""
    if low is not None and high is not None:
        interval = f"{formats.number_format(low, places)}–{formats.number_format(high, places)}"
    change_text = ""
    clear = False
    if change is not None:
        sign = "+" if change > 0 else ("−" if change < 0 else "±")
        magnitude = formats.number_format(abs(change), places)
        change_text = (
            _("%(value)s pp") % {"value": f"{sign}{magnitude}"} if item.is_share else f"{sign}{magnitude}"
        )
        clear = change_low is not None and change_high is not None and (change_low > 0 or change_high < 0)
    return Cell(
        item=item.key,
        estimate=estimate,
        low=low,
        high=high,
        change=change,
        change_low=change_low,
        change_high=change_high,
        n=int(entry.get("n", 0)),
        suppressed=False,
        text=text,
        interval=interval,
        change_text=change_text,
        clear=clear,
    )


BASIS_NOTES = {
    "in_period": gettext_lazy("The perception surveys that ended in this half-year."),
    "before": gettext_lazy(
        "No perception survey ended in this half-year: the latest one before it is shown."
    ),
    "none": gettext_lazy("No perception survey had ended by the end of this half-year."),
}


def read_perception(snapshot: Mapping[str, Any]) -> Perception | None:
    """The snapshot's Evaluation 4 section in the active language; None for an
    evaluation frozen before survey figures were kept with it."""
    section = snapshot.get("perception")
    if not section:
        return None
    basis = section.get("basis", "none")
    waves = []
    for wave in section.get("waves", []):
        items = [
            Item(i["key"], surveys.short_label(i["key"]), pick(i.get("text") or {}), bool(i.get("is_share")))
            for i in wave.get("items", [])
        ]
        previous = wave.get("previous")
        rows = [
            Row(
                level=row.get("level", ""),
                place=pick(row.get("place") or {}),
                responses=int(row.get("responses", 0)),
                cells=[_cell(item, row.get("figures", {}).get(item.key)) for item in items],
                issues=[
                    (pick(issue.get("text") or {}), _share(100 * issue["estimate"]))
                    for issue in row.get("issues", [])
                    if issue.get("estimate") is not None
                ],
            )
            for row in wave.get("rows", [])
        ]
        waves.append(
            WaveView(
                name=wave.get("name", ""),
                questionnaire=pick(wave.get("questionnaire") or {}),
                place=pick(wave.get("place") or {}),
                starts_on=date.fromisoformat(wave["starts_on"]),
                ends_on=date.fromisoformat(wave["ends_on"]),
                responses=int(wave.get("responses", 0)),
                min_n=int(wave.get("min_n", 0)),
                previous=previous.get("name", "") if previous else "",
                items=items,
                rows=rows,
            )
        )
    note = str(BASIS_NOTES.get(basis, BASIS_NOTES["none"]))
    return Perception(basis, note, waves)
