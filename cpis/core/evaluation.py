"""The sections of the strategy's six-monthly evaluation [Evaluation 1–7].

The strategy evaluates community policing by seven elements: (1) officers' efficiency
and effectiveness, (2) individual performance evaluations, (3) deployment against crime
trends, (4) citizens' surveys, (5) the forums' sustainability, (6) the analysis of media
reports, and (7) the six-monthly evaluation by leadership that assembles the other six.
Each app that holds one of elements 1–6 gives a function

    section(unit: Unit, start: date, end: date) -> Section | None

named in its AppConfig's `evaluation_sections` (core.registry). The plans app calls
them, as the system, when it freezes an evaluation of a place (the country or a
region) for a half-year, stores `Section.to_json()` in the snapshot and draws the
stored sections on the page, in the PDF and in the XLSX; a section is never computed
again for a frozen evaluation. None means "nothing to say for this place and period".

A section is aggregated: no officer, reporter or other person is named in it, and no
figure stands for fewer than a handful of people where that would single one out.

Texts (titles, captions, column names, summaries) are `Text`: a string, a lazy
translation, or a function that writes the text in the active language. `to_json`
writes each text in every language of the site, so that a frozen evaluation reads in
the reader's language without computing anything again; numbers are stored as numbers."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from django.conf import settings
from django.utils import translation
from django.utils.functional import Promise

Text = str | Promise | Callable[[], str]
Cell = str | int | float | None | Promise | Callable[[], str]
ChartKind = Literal["bar", "line"]


def _written(text: Text) -> str:
    return str(text() if callable(text) else text)


def in_every_language(text: Text) -> dict[str, str]:
    """The text written in each of the site's languages, by language code."""
    written = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            written[code] = _written(text)
    return written


def read(texts: dict[str, str] | str) -> str:
    """A stored text in the active language (the site's default when it is missing)."""
    if isinstance(texts, str):
        return texts
    language = translation.get_language() or settings.LANGUAGE_CODE
    return texts.get(language) or texts.get(settings.LANGUAGE_CODE) or next(iter(texts.values()), "")


@dataclass(frozen=True)
class Table:
    """A table of figures: `columns` name the columns, each row has one cell per
    column. A plain string cell (a place's name) is stored as it is; a lazy
    translation or a function is written in every language, like the texts."""

    caption: Text
    columns: Sequence[Text]
    rows: Sequence[Sequence[Cell]]

    def to_json(self) -> dict[str, Any]:
        return {
            "caption": in_every_language(self.caption),
            "columns": [in_every_language(column) for column in self.columns],
            "rows": [[_cell(cell) for cell in row] for row in self.rows],
        }


def _cell(cell: Cell) -> Any:
    if isinstance(cell, Promise) or callable(cell):
        return in_every_language(cell)
    if isinstance(cell, float):
        return round(cell, 6)
    return cell


@dataclass(frozen=True)
class Series:
    name: Text
    values: Sequence[float | None]


@dataclass(frozen=True)
class Chart:
    """A bar or line chart: one label per point on the x axis, one or more series
    with one value per label; `unit` says what the values count ("%", "days")."""

    caption: Text
    kind: ChartKind
    labels: Sequence[str]
    series: Sequence[Series]
    unit: Text = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "caption": in_every_language(self.caption),
            "kind": self.kind,
            "labels": list(self.labels),
            "series": [
                {
                    "name": in_every_language(s.name),
                    "values": [None if v is None else float(v) for v in s.values],
                }
                for s in self.series
            ],
            "unit": in_every_language(self.unit),
        }


@dataclass(frozen=True)
class Section:
    """One element of the evaluation for one place and period."""

    element: int  # 1–6, the strategy's numbering
    title: Text
    summary: Text  # what the figures say, in a few sentences
    tables: Sequence[Table] = field(default_factory=tuple)
    charts: Sequence[Chart] = field(default_factory=tuple)

    def __post_init__(self) -> None:
        if not 1 <= self.element <= 6:
            raise ValueError("an evaluation section is one of the elements 1 to 6")

    def to_json(self) -> dict[str, Any]:
        return {
            "element": self.element,
            "title": in_every_language(self.title),
            "summary": in_every_language(self.summary),
            "tables": [table.to_json() for table in self.tables],
            "charts": [chart.to_json() for chart in self.charts],
        }
