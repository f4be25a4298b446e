"""The import of a spreadsheet of media reports: the file's columns mapped to the
fields, every row checked as the form checks a report, and each compared with the
log and with the rows above it, so that a report is never stored twice. `check`
stores nothing (the dry run); the service stores the valid rows."""

from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cpis.core.errors import DomainError, InvalidInput
from cpis.core.uploads import Upload
from cpis.organisation.access import Actor
from cpis.organisation.models import Municipality, Unit

from . import rules, selectors
from .models import Outlet, Tone, Topic
from .policy import policy
from .reading import read_table

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise

# field → (label, required, names a column is guessed from)
FIELDS: dict[str, tuple["StrPromise", bool, tuple[str, ...]]] = {
    "published_on": (gettext_lazy("Date"), True, ("date", "data", "датум", "datum", "published")),
    "outlet": (gettext_lazy("Outlet"), True, ("outlet", "media", "medium", "mediumi", "медиј")),
    "headline": (gettext_lazy("Headline"), True, ("headline", "title", "titulli", "наслов", "naslov")),
    "url": (gettext_lazy("Link"), False, ("url", "link", "lidhja", "линк")),
    "summary": (gettext_lazy("Summary"), False, ("summary", "përmbledhja", "permbledhja", "резиме")),
    "topic": (gettext_lazy("Topic"), True, ("topic", "tema", "тема")),
    "tone": (gettext_lazy("Tone"), True, ("tone", "toni", "тон", "ton")),
    "places": (gettext_lazy("Places"), False, ("places", "place", "unit", "vendi", "место", "mesto")),
    "municipalities": (
        gettext_lazy("Municipalities"),
        False,
        ("municipalities", "municipality", "komuna", "општина", "opština"),
    ),
}
TONE_WORDS = {"+": Tone.POSITIVE, "0": Tone.NEUTRAL, "-": Tone.NEGATIVE, "−": Tone.NEGATIVE}
DATE_FORMATS = ("%Y-%m-%d", "%d.%m.%Y", "%d/%m/%Y", "%d.%m.%y")


@dataclass(frozen=True)
class Row:
    line: int
    published_on: date
    outlet: Outlet
    headline: str
    url: str
    summary: str
    topic: Topic
    tone: str
    units: list[Unit]
    municipalities: list[Municipality]


@dataclass(frozen=True)
class RowError:
    line: int
    messages: list[str]


@dataclass(frozen=True)
class Result:
    rows: int
    valid: list[Row] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    duplicates: list[int] = field(default_factory=list)  # lines
    imported: int = 0

    def stored(self) -> "Result":
        return replace(self, imported=len(self.valid))


def guess_mapping(header: list[str]) -> dict[str, str]:
    """Each field's column, guessed from the header (the field's own name first)."""
    found: dict[str, str] = {}
    lowered = {h.strip().casefold(): h for h in header if h.strip()}
    for name, (label, _required, aliases) in FIELDS.items():
        for alias in (name, str(label).casefold(), *aliases):
            if alias.casefold() in lowered:
                found[name] = lowered[alias.casefold()]
                break
    return found


def _names(values: dict[str, Any]) -> dict[str, Any]:
    return {k.strip().casefold(): v for k, v in values.items() if k and k.strip()}


class _Lookups:
    """The lists a row's words are looked up in, read once for the file."""

    def __init__(self, actor: Actor) -> None:
        self.outlets = _names({o.name: o for o in Outlet.objects.filter(is_active=True)})
        topics: dict[str, Topic] = {}
        for t in Topic.objects.filter(is_active=True):
            for word in (t.code, t.name_sq, t.name_sr, t.name_en):
                topics[word] = t
        self.topics = _names(topics)
        tones: dict[str, str] = {}
        for tone in Tone:
            tones[tone.value] = tone.value
            for code, _name in settings.LANGUAGES:
                with translation.override(code):
                    tones[str(tone.label)] = tone.value
        self.tones = _names(tones) | TONE_WORDS
        # A word two places share (two sectors called "Sektori A") names neither: the row
        # must give the place's path instead.
        units: dict[str, Unit | None] = {}
        for u in Unit.objects.filter(policy.scope(actor, "log")).filter(kind__in=selectors.PLACE_KINDS):
            for word in {u.code, u.path, u.name_sq, u.name_sr, u.name_en} - {""}:
                key = word.strip().casefold()
                units[key] = u if key not in units or units[key] == u else None
        self.units = units
        municipalities: dict[str, Municipality] = {}
        for m in Municipality.objects.all():
            for word in (m.code, m.name_sq, m.name_sr, m.name_en):
                municipalities[word] = m
        self.municipalities = _names(municipalities)


def _date(value: Any) -> date:
    if isinstance(value, date):
        return value
    text = str(value).strip()
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()  # noqa: DTZ007 - a calendar day, no time
        except ValueError:
            continue
    raise InvalidInput(
        _("“%(value)s” is not a date (write it as 2026-03-31 or 31.03.2026).") % {"value": text}
    )


def _split(value: Any) -> list[str]:
    return [part.strip() for part in str(value).replace(",", ";").split(";") if part.strip()]


def _row(values: dict[str, Any], line: int, lookups: _Lookups, default_unit: Unit | None) -> Row | RowError:
    problems: list[str] = []

    def attempt(read: Any) -> Any:
        try:
            return read()
        except DomainError as exc:
            problems.append(str(exc))
            return None

    def outlet() -> Outlet:
        name = str(values.get("outlet", "")).strip()
        if not name:
            raise InvalidInput(_("The outlet is missing."))
        found = lookups.outlets.get(name.casefold())
        if found is None:
            raise InvalidInput(_("“%(value)s” is not an outlet on the list.") % {"value": name})
        return found

    def topic() -> Topic:
        word = str(values.get("topic", "")).strip()
        found = lookups.topics.get(word.casefold()) if word else None
        if found is None:
            raise InvalidInput(_("“%(value)s” is not a topic on the list.") % {"value": word})
        return found

    def tone() -> str:
        word = str(values.get("tone", "")).strip()
        found = lookups.tones.get(word.casefold()) if word else None
        if found is None:
            raise InvalidInput(
                _("“%(value)s” is not a tone: write positive, neutral or negative.") % {"value": word}
            )
        return str(found)

    def units() -> list[Unit]:
        words = _split(values.get("places", ""))
        if not words:
            if default_unit is None:
                raise InvalidInput(_("The places are missing."))
            return [default_unit]
        found = []
        for word in words:
            key = word.casefold()
            if key in lookups.units and lookups.units[key] is None:
                raise InvalidInput(
                    _("“%(value)s” names more than one place; write the place's path instead.")
                    % {"value": word}
                )
            unit = lookups.units.get(key)
            if unit is None:
                raise InvalidInput(
                    _("“%(value)s” is not a place where you may log reports.") % {"value": word}
                )
            found.append(unit)
        return list({u.pk: u for u in found}.values())

    def municipalities() -> list[Municipality]:
        found = []
        for word in _split(values.get("municipalities", "")):
            municipality = lookups.municipalities.get(word.casefold())
            if municipality is None:
                raise InvalidInput(_("“%(value)s” is not a municipality.") % {"value": word})
            found.append(municipality)
        return found

    raw_date = values.get("published_on", "")
    published_on = attempt(lambda: _date(raw_date)) if str(raw_date).strip() else None
    if published_on is None and not str(raw_date).strip():
        problems.append(_("The date is missing."))
    chosen = {
        "outlet": attempt(outlet),
        "topic": attempt(topic),
        "tone": attempt(tone),
        "units": attempt(units),
        "municipalities": attempt(municipalities),
    }
    if problems:
        return RowError(line, problems)
    fields = attempt(
        lambda: rules.clean_fields(
            published_on=published_on,
            outlet=chosen["outlet"],
            headline=str(values.get("headline", "")),
            url=str(values.get("url", "")),
            summary=str(values.get("summary", "")),
            topic=chosen["topic"],
            tone=chosen["tone"],
            units=chosen["units"],
        )
    )
    if fields is None:
        return RowError(line, problems)
    return Row(
        line=line,
        published_on=fields["published_on"],
        outlet=chosen["outlet"],
        headline=fields["headline"],
        url=fields["url"],
        summary=fields["summary"],
        topic=chosen["topic"],
        tone=chosen["tone"],
        units=chosen["units"],
        municipalities=chosen["municipalities"],
    )


def check_mapping(header: list[str], mapping: dict[str, str], *, has_default_unit: bool) -> dict[str, int]:
    """Each mapped field's column index; InvalidInput for a required field left out
    or a column the file does not have."""
    columns: dict[str, int] = {}
    for name, (label, required, _aliases) in FIELDS.items():
        column = (mapping.get(name) or "").strip()
        if not column:
            if required:
                raise InvalidInput(_("Choose the column of the field “%(field)s”.") % {"field": label})
            continue
        if column not in header:
            raise InvalidInput(_("The file has no column “%(column)s”.") % {"column": column})
        columns[name] = header.index(column)
    if "places" not in columns and not has_default_unit:
        raise InvalidInput(_("Choose the column of the places, or a place for every row."))
    return columns


def check(actor: Actor, *, upload: Upload, mapping: dict[str, str], default_unit: Unit | None) -> Result:
    """Every row read and checked, and compared with the log and the rows above it.
    Nothing is stored."""
    table = read_table(upload)
    columns = check_mapping(table.header, mapping, has_default_unit=default_unit is not None)
    lookups = _Lookups(actor)
    valid: list[Row] = []
    errors: list[RowError] = []
    duplicates: list[int] = []
    seen: set[tuple[int, str, str]] = set()
    for line, raw in table.rows:
        values = {name: raw[i] if i < len(raw) else "" for name, i in columns.items()}
        parsed = _row(values, line, lookups, default_unit)
        if isinstance(parsed, RowError):
            errors.append(parsed)
            continue
        url = rules.url_key(parsed.url)
        keys = {(parsed.outlet.pk, "h", f"{parsed.published_on}|{rules.headline_key(parsed.headline)}")}
        if url:
            keys.add((parsed.outlet.pk, "u", url))
        if keys & seen or selectors.is_duplicate(
            outlet_id=parsed.outlet.pk,
            url_key=url,
            published_on=parsed.published_on,
            headline_key=rules.headline_key(parsed.headline),
        ):
            duplicates.append(line)
            continue
        seen |= keys
        valid.append(parsed)
    return Result(rows=len(table.rows), valid=valid, errors=errors, duplicates=duplicates)
