"""The strategy's elements 1–6 in the six-monthly evaluation [Evaluation 1–7].

Each app that holds an element names its section functions in its AppConfig's
`evaluation_sections` (core.registry, core.evaluation). `compute_sections` calls
every one of them for the evaluation's place and half-year, as the system, and
returns what an evaluation freezes: each `Section.to_json()` (every text in every
language, figures as numbers), sorted by element. A function that raises is kept
as a section that "could not be computed" and the error is logged: one app's
fault must not stop leadership's evaluation. `read_sections` reads them back in
the reader's language for the page, the PDF and the workbook; None for an
evaluation frozen before the elements were kept with it."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cpis.core import registry
from cpis.core.evaluation import Section, in_every_language, read
from cpis.core.periods import Period
from cpis.organisation.models import Unit

logger = logging.getLogger(__name__)

NOT_COMPUTED = gettext_lazy("This section could not be computed when the evaluation was frozen.")
NOT_COMPUTED_TITLE = gettext_lazy("A section that could not be computed")
# The element the plans app itself draws from the surveys (selectors/perception.py).
PERCEPTION_ELEMENT = 4


def _source(function: Any) -> str:
    return f"{getattr(function, '__module__', '')}.{getattr(function, '__qualname__', repr(function))}"


def compute_sections(unit: Unit, period: Period) -> list[dict[str, Any]]:
    """Every registered section for `unit` over `period`, as plain JSON, sorted by
    element (sections that could not be computed last, with where they came from)."""
    computed: list[dict[str, Any]] = []
    for function in registry.evaluation_sections():
        source = _source(function)
        try:
            section = function(unit, period.start, period.end)
            if section is None:
                continue
            if not isinstance(section, Section):
                raise TypeError(f"{source} returned {type(section).__name__}, not a Section")
            entry = section.to_json()
        except Exception:
            # Logged with the traceback for whoever keeps that app; the evaluation
            # records that the section is missing, not a half-written one.
            logger.exception("Evaluation section %s failed for %s %s", source, unit.path, period.label)
            entry = {
                "element": None,
                "title": in_every_language(NOT_COMPUTED_TITLE),
                "summary": in_every_language(NOT_COMPUTED),
                "tables": [],
                "charts": [],
                "error": True,
                "source": source,
            }
        else:
            entry["source"] = source
        computed.append(entry)
    return sorted(computed, key=lambda s: (s["element"] is None, s["element"] or 0, s["source"]))


# --- reading them back, in the reader's language ---------------------------------------------


@dataclass(frozen=True)
class TableView:
    caption: str
    columns: list[str]
    rows: list[list[Any]]  # numbers stay numbers (the workbook wants them), texts are read

    def formatted_rows(self) -> list[list[str]]:
        return [[format_cell(cell) for cell in row] for row in self.rows]


@dataclass(frozen=True)
class SeriesView:
    name: str
    values: list[float | None]


@dataclass(frozen=True)
class ChartView:
    caption: str
    kind: str
    labels: list[str]
    series: list[SeriesView]
    unit: str

    @property
    def highest(self) -> float:
        return max((v for s in self.series for v in s.values if v is not None), default=0.0) or 1.0

    def bars(self) -> list[dict[str, Any]]:
        """Per label, each series' value and its share of the largest value (for the
        page's bars, drawn without a script)."""
        top = self.highest
        return [
            {
                "label": label,
                "values": [
                    {
                        "series": s.name,
                        "value": format_cell(s.values[i] if i < len(s.values) else None),
                        "percent": round(100 * max(s.values[i] or 0.0, 0.0) / top, 1)
                        if i < len(s.values) and s.values[i] is not None
                        else 0,
                    }
                    for s in self.series
                ],
            }
            for i, label in enumerate(self.labels)
        ]


@dataclass(frozen=True)
class SectionView:
    element: int | None
    title: str
    summary: str
    tables: list[TableView] = field(default_factory=list)
    charts: list[ChartView] = field(default_factory=list)
    error: bool = False

    @property
    def heading(self) -> str:
        if self.element is None:
            return self.title
        return _("Evaluation %(element)s: %(title)s") % {"element": self.element, "title": self.title}

    @property
    def anchor(self) -> str:
        return f"evaluation-{self.element}" if self.element is not None else "evaluation-missing"


def format_cell(cell: Any) -> str:
    """A stored cell as text: whole numbers without decimals, others with one."""
    if cell is None:
        return "—"
    if isinstance(cell, bool):
        return _("Yes") if cell else _("No")
    if isinstance(cell, int):
        return str(formats.number_format(cell, force_grouping=True))
    if isinstance(cell, float):
        if cell.is_integer():
            return str(formats.number_format(int(cell), force_grouping=True))
        return str(formats.number_format(cell, decimal_pos=1, force_grouping=True))
    return read_cell(cell)


def read_cell(cell: Any) -> Any:
    """A stored cell in the reader's language: texts written in every language are
    read; numbers and plain strings as they are."""
    if isinstance(cell, Mapping):
        return read(dict(cell))
    return cell


def _table(entry: Mapping[str, Any]) -> TableView:
    return TableView(
        caption=read(entry.get("caption") or ""),
        columns=[read(c) for c in entry.get("columns", [])],
        rows=[[read_cell(cell) for cell in row] for row in entry.get("rows", [])],
    )


def _chart(entry: Mapping[str, Any]) -> ChartView:
    return ChartView(
        caption=read(entry.get("caption") or ""),
        kind=str(entry.get("kind", "bar")),
        labels=[str(label) for label in entry.get("labels", [])],
        series=[
            SeriesView(
                read(s.get("name") or ""), [None if v is None else float(v) for v in s.get("values", [])]
            )
            for s in entry.get("series", [])
        ],
        unit=read(entry.get("unit") or ""),
    )


def read_sections(snapshot: Mapping[str, Any]) -> list[SectionView] | None:
    """The snapshot's elements in the active language, in element order; None for
    an evaluation frozen before they were kept with evaluations."""
    stored: Sequence[Mapping[str, Any]] | None = snapshot.get("sections")
    if stored is None:
        return None
    return [
        SectionView(
            element=entry.get("element"),
            title=read(entry.get("title") or ""),
            summary=read(entry.get("summary") or ""),
            tables=[_table(t) for t in entry.get("tables", [])],
            charts=[_chart(c) for c in entry.get("charts", [])],
            error=bool(entry.get("error")),
        )
        for entry in stored
    ]


@dataclass(frozen=True)
class Part:
    """One element as the reports lay them out: a stored section, or the
    perception surveys (element 4) the plans app keeps itself."""

    element: int | None
    section: SectionView | None = None
    perception: bool = False


def evaluation_parts(snapshot: Mapping[str, Any]) -> list[Part]:
    """The elements in the order the reports show them: the stored sections by
    element with the perception surveys in element 4's place."""
    sections = read_sections(snapshot) or []
    parts = [Part(s.element, section=s) for s in sections]
    parts.append(Part(PERCEPTION_ELEMENT, perception=True))
    return sorted(
        parts,
        key=lambda p: (p.element is None, p.element or 0, not p.perception),
    )
