"""A wave's anonymised response-level data, for its CSV, XLSX and SPSS files.

One row per counted response, in a random order, numbered 1, 2, … afresh on
every download (the number links nothing to the database). The columns: the
number, the region, station and sector codes, the municipality code, the
channel, the wave, the month answered (never the time), the respondent's
community, gender and age band, one column per question (a multiple choice:
one 0/1 column per option) and the weight the results are computed with.
Nothing that identifies a person leaves: no device hash, no idempotency key,
no one who entered it, no time of day, no event it was taken at.

What is withheld:
- A sector with fewer counted responses than the wave's `min_n` never appears
  with its code: its rows keep their station's code and a blank sector. When
  that would blank a single sector of a station beside sectors that are shown
  (the blank would name it all the same), the station's smallest shown sector
  is blanked too. Stations in their region and regions in the country follow the
  same rule, so a blank code always stands for two places or more.
- A row whose sector is blanked has a blank municipality too, and the mean
  weight of the rows blanked with it (its own weight carries its sector's
  population over its sector's count, which would point back to the sector).
- Free text is exported only once a reviewer has cleared it: a pending or
  withheld text is blank.

Every download is written to the personal-data access log (the wave is the
record read)."""

from __future__ import annotations

import re
import secrets
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from cpis.accounts.audit import log_personal_data_access
from cpis.core.http import one_or_404
from cpis.organisation.access import Actor
from cpis.organisation.models import Municipality, Unit

from ..models import (
    AgeBand,
    Channel,
    Community,
    Gender,
    Question,
    QuestionKind,
    Response,
    TextReview,
    Wave,
)
from ..policy import policy
from . import questionnaires, results, waves

SUBJECT = "surveys.wave"
FORMATS = ("csv", "xlsx", "sav")
# Words SPSS keeps for itself: no variable may be called by one.
_RESERVED = {"all", "and", "by", "eq", "ge", "gt", "le", "lt", "ne", "not", "or", "to", "with"}
_LEVELS = 3  # region, station, sector


def agree_labels() -> dict[int, str]:
    return {
        1: _("Strongly disagree"),
        2: _("Disagree"),
        3: _("Neither agree nor disagree"),
        4: _("Agree"),
        5: _("Strongly agree"),
    }


def yes_no_labels() -> dict[int, str]:
    return {1: _("Yes"), 0: _("No")}


def chosen_labels() -> dict[int, str]:
    return {1: _("Chosen"), 0: _("Not chosen")}


# --- who may export what ---------------------------------------------------------------


def may_export(actor: Actor, wave: Wave) -> bool:
    return policy.can(actor, "export", wave.place.path)


def list_exportable_waves(actor: Actor) -> list[Wave]:
    """The waves the actor sees and may export (policy "export" at the wave's
    place), newest first, each with `counted`: its counted responses. 404 for who
    sees no survey anywhere, 403 for who may export none."""
    policy.require_anywhere(actor, "export")
    rows = waves.with_counted(
        waves.visible_waves(actor).select_related("version", "version__questionnaire", "place")
    ).order_by(*waves.NEWEST_FIRST)
    return [wave for wave in rows if may_export(actor, wave)]


def get_export_wave(actor: Actor, wave_id: int) -> Wave:
    """A wave to export: 404 when the actor does not see it, 403 when they see it but
    may not export at its place."""
    wave: Wave = one_or_404(waves.visible_waves(actor).select_related("version", "place"), pk=wave_id)
    require_export(actor, wave)
    return wave


def require_export(actor: Actor, wave: Wave) -> None:
    """403 unless the actor may export at the wave's place (a station commander sees a
    national wave but exports only waves of their station)."""
    if not may_export(actor, wave):
        raise PermissionDenied(
            _("You may download a wave's responses only where you may export at its place.")
        )


# --- the data ------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    """One variable: its name (valid in SPSS), its label, its measure (nominal,
    ordinal or scale), the labels of its values, and whether it holds numbers."""

    name: str
    label: str
    measure: str = "nominal"
    labels: dict[Any, str] = field(default_factory=dict)
    numeric: bool = False


@dataclass
class ResponseData:
    """The rows of a wave's export (None: no answer) under their columns."""

    wave: Wave
    columns: list[Column]
    rows: list[list[Any]]
    withheld_sectors: int = 0

    @property
    def header(self) -> list[str]:
        return [c.name for c in self.columns]


def response_weights(wave: Wave) -> dict[int, float]:
    """The weight of each counted response of the wave (by response id), as the
    results engine weighs it: post-stratified to the sectors' populations and raked
    to the wave's margins (1 each when no population is known)."""
    frame = results.load_frame(wave, [])
    return {int(i): float(w) for i, w in zip(frame.ids, frame.weights, strict=True)}


def _variable(code: str, taken: set[str]) -> str:
    name = re.sub(r"[^A-Za-z0-9_]", "_", code)[:60]
    if not name or not name[0].isalpha():
        name = f"q_{name}"
    base, n = name, 2
    while name.lower() in taken or name.lower() in _RESERVED:
        name, n = f"{base}_{n}", n + 1
    taken.add(name.lower())
    return name


def _columns(
    wave: Wave, questions: list[Question], places: list[dict[str, str]], municipalities: dict[str, str]
) -> list[Column]:
    """The fixed columns, then the questions'. Every name is unique and valid in SPSS.
    `places`: the names of the region, station and sector codes shown, by level."""

    def labels(choices: list[tuple[Any, Any]]) -> dict[Any, str]:
        return {str(value): str(label) for value, label in choices if value}

    fixed = [
        Column("number", _("Response number (random, in this file only)"), numeric=True),
        Column("region", _("Region"), labels=places[0]),
        Column("station", _("Police station"), labels=places[1]),
        Column("sector", _("Sector (blank: withheld, too few answers)"), labels=places[2]),
        Column("municipality", _("Municipality"), labels=municipalities),
        Column("channel", _("Channel"), labels=labels(Channel.choices)),
        Column("wave", _("Wave"), labels={wave.pk: wave.name}, numeric=True),
        Column("month", _("Month answered"), measure="ordinal"),
        Column("community", _("Community"), labels=labels(Community.choices)),
        Column("gender", _("Gender"), labels=labels(Gender.choices)),
        Column("age_band", _("Age band"), measure="ordinal", labels=labels(AgeBand.choices)),
    ]
    taken = {c.name for c in fixed} | {"weight"}
    out = list(fixed)
    for question in questions:
        kind = question.kind
        if kind == QuestionKind.MULTIPLE:
            for option in question.options.all():
                name = _variable(f"{question.code}_{option.code}", taken)
                label = f"{question.text} — {option.label}"
                out.append(Column(name, label, labels=chosen_labels(), numeric=True))
            continue
        name = _variable(question.code, taken)
        if kind == QuestionKind.AGREE5:
            out.append(Column(name, question.text, "ordinal", agree_labels(), numeric=True))
        elif kind == QuestionKind.SCORE10:
            out.append(Column(name, question.text, "scale", numeric=True))
        elif kind == QuestionKind.YESNO:
            out.append(Column(name, question.text, labels=yes_no_labels(), numeric=True))
        elif kind == QuestionKind.SINGLE:
            out.append(Column(name, question.text, labels={o.code: o.label for o in question.options.all()}))
        else:
            out.append(Column(name, question.text))
    weight = _("Weight (the sector's population over its answers, raked to the wave's margins)")
    out.append(Column("weight", weight, "scale", numeric=True))
    return out


def _answers(questions: list[Question], answers: dict[str, Any], text_cleared: bool) -> list[Any]:
    """A response's values, column by column as `_columns` lays the questions out."""
    out: list[Any] = []
    for question in questions:
        value: Any = answers.get(question.code)
        missing = value is None or value == "" or value == []
        kind = question.kind
        if kind == QuestionKind.MULTIPLE:
            chosen = set(value) if isinstance(value, list) else set()
            out += [None if missing else int(o.code in chosen) for o in question.options.all()]
        elif kind == QuestionKind.TEXT:
            out.append(str(value) if text_cleared and not missing else "")
        elif kind == QuestionKind.SINGLE:
            out.append("" if missing else str(value))
        else:
            out.append(None if missing else _whole(value))
    return out


def _whole(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def withheld_levels(places: Sequence[tuple[str, ...]], min_n: int) -> list[int]:
    """How many of each row's place codes (region, station, sector: a path, coarsest
    first) may be shown: 3 all of them, 2 not the sector, 1 the region only, 0 none.
    A place with fewer than `min_n` rows is withheld; when it is the only one withheld
    among shown siblings, the smallest sibling is withheld with it."""
    shown = [_LEVELS] * len(places)
    for level in range(_LEVELS - 1, -1, -1):
        counts = Counter(p[: level + 1] for p in places)
        siblings: dict[tuple[str, ...], list[tuple[int, tuple[str, ...]]]] = defaultdict(list)
        for place, count in counts.items():
            siblings[place[:level]].append((count, place))
        withheld: set[tuple[str, ...]] = set()
        for children in siblings.values():
            small = [place for count, place in children if count < min_n]
            big = sorted((count, place) for count, place in children if count >= min_n)
            if len(small) == 1 and big:
                small.append(big[0][1])
            withheld.update(small)
        for i, place in enumerate(places):
            if place[: level + 1] in withheld:
                shown[i] = min(shown[i], level)
    return shown


def _levels(path: str) -> tuple[str, str, str]:
    """The paths of a sector's region, station and the sector itself
    (directorate/region/station/…/sector)."""
    parts = path.strip("/").split("/")
    return ("/".join(parts[:2]) + "/", "/".join(parts[:3]) + "/", path)


def response_data(actor: Actor, wave: Wave, *, request: HttpRequest | None) -> ResponseData:
    """The wave's anonymised responses (see the module), for those who may export at
    the wave's place (403 otherwise); the read is written to the access log."""
    require_export(actor, wave)
    log_personal_data_access(user_id=actor.user_id, subject_type=SUBJECT, subject_id=wave.pk, request=request)
    weights = response_weights(wave)
    questions = list(questionnaires.questions_with_options().filter(version_id=wave.version_id))
    rows_in = (
        Response.objects.counted()
        .filter(wave=wave)
        .values_list(
            "pk",
            "sector__path",
            "municipality__code",
            "channel",
            "submitted_at",
            "community",
            "gender",
            "age_band",
            "answers",
            "text_review",
        )
        .order_by()
    )
    # The rows the results are computed from (those of the wave's sectors).
    found = [row for row in rows_in.iterator(chunk_size=2000) if row[0] in weights]
    # A random order: neither the order nor the number says when a response came in.
    secrets.SystemRandom().shuffle(found)
    keys = [_levels(row[1]) for row in found]
    shown = withheld_levels(keys, wave.min_n)
    row_weights = _pooled_weights([weights[row[0]] for row in found], keys, shown)
    units = {
        u.path: u
        for u in Unit.objects.filter(
            path__in={path for key, level in zip(keys, shown, strict=True) for path in key[:level]}
        ).only("path", "code", "name_sq", "name_sr", "name_en")
    }
    municipalities = {
        m.code: m.name
        for m in Municipality.objects.filter(
            code__in={row[2] for row, level in zip(found, shown, strict=True) if row[2] and level == _LEVELS}
        ).only("code", "name_sq", "name_sr", "name_en")
    }
    places: list[dict[str, str]] = [{}, {}, {}]
    for key, level in zip(keys, shown, strict=True):
        for i in range(level):
            unit = units.get(key[i])
            if unit is not None:
                places[i][unit.code] = unit.name
    columns = _columns(wave, questions, places, municipalities)
    rows: list[list[Any]] = []
    for number, (row, key, level, weight) in enumerate(zip(found, keys, shown, row_weights, strict=True), 1):
        _pk, _path, municipality, channel, submitted_at, community, gender, age_band, answers, review = row
        codes = [units[path].code if i < level and path in units else "" for i, path in enumerate(key)]
        rows.append(
            [
                number,
                *codes,
                (municipality or "") if level == _LEVELS else "",
                channel,
                wave.pk,
                timezone.localtime(submitted_at).strftime("%Y-%m"),
                community,
                gender,
                age_band,
                *_answers(questions, answers or {}, review == TextReview.CLEARED),
                round(weight, 6),
            ]
        )
    withheld = {key[2] for key, level in zip(keys, shown, strict=True) if level < _LEVELS}
    return ResponseData(wave=wave, columns=columns, rows=rows, withheld_sectors=len(withheld))


def _pooled_weights(weights: list[float], keys: Sequence[tuple[str, ...]], shown: list[int]) -> list[float]:
    """Each row's weight; a row whose sector is withheld gets the mean weight of the
    rows withheld with it (those showing the same codes)."""
    pools: dict[tuple[Any, ...], list[float]] = defaultdict(list)
    for weight, key, level in zip(weights, keys, shown, strict=True):
        if level < _LEVELS:
            pools[key[:level]].append(weight)
    means = {pool: sum(ws) / len(ws) for pool, ws in pools.items()}
    return [
        weight if level == _LEVELS else means[key[:level]]
        for weight, key, level in zip(weights, keys, shown, strict=True)
    ]
