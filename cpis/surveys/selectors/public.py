"""What of the perception surveys may be shown beyond the staff results pages: on
the public sector page ("you said, we did"), in the action plan's six-monthly
evaluation [Evaluation 4] and in its perception indicators.

A thin read over results.py, narrower on purpose: the headline items and the
issue people ranked first, of everyone at a place (no breakdown by community,
gender or age), with their 95 % intervals and the change since the previous
wave, suppressed below the wave's `min_n` exactly as results.py suppresses them.
Never a response, never free text, never a figure results.py withheld."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from cpis.core.i18n import pick
from cpis.core.periods import Period
from cpis.organisation.models import Unit, UnitKind, translations

from ..models import Purpose, Response, VersionStatus, Wave, WaveStatus
from . import results
from .waves import list_open_waves

# The items shown outside the staff pages, in this order (those a wave's questionnaire
# has): how safe people feel, how far they trust the police, whether they know their
# officer and their forum.
HEADLINES = (
    "safe_dark",
    "confidence",
    "rely",
    "fair",
    "listen",
    "know_officer",
    "forum_aware",
    "safety_score",
)
TOP_ISSUE = "top_issue"
TOP_ISSUES_SHOWN = 3

# Short names of the headline items for tables (the question itself is the long name).
SHORT_LABELS: dict[str, Promise] = {
    "safe_dark": _("Safe after dark"),
    "confidence": _("Confidence in police"),
    "rely": _("Can rely on police"),
    "fair": _("Treated fairly"),
    "listen": _("Police listen"),
    "know_officer": _("Know officer"),
    "forum_aware": _("Know forum"),
    "safety_score": _("Safety, 0–10"),
}

# The level of results.py a unit's figures are read at; a substation has none.
LEVEL_OF_KIND: dict[str, str] = {
    UnitKind.DIRECTORATE: "country",
    UnitKind.REGION: "region",
    UnitKind.STATION: "station",
    UnitKind.SECTOR: "sector",
}


def short_label(item: str) -> str:
    label = SHORT_LABELS.get(item)
    return str(label) if label is not None else item


@dataclass(frozen=True)
class Figure:
    """One item at one place, as may be shown publicly. A share is between 0 and 1.
    Suppressed: no estimate, interval or change. `change` is this wave minus the
    previous one (None when either side is suppressed or there is no previous wave)."""

    item: str
    texts: dict[str, str]  # the question (or the option, for an issue) in sq, sr, en
    is_share: bool
    estimate: float | None
    ci_low: float | None
    ci_high: float | None
    n: int
    suppressed: bool
    change: float | None = None
    change_low: float | None = None
    change_high: float | None = None

    @property
    def label(self) -> str:
        return pick(self.texts)

    @property
    def short_label(self) -> str:
        return short_label(self.item)

    @property
    def trend(self) -> str:
        """ "up" or "down" when the change's 95 % interval excludes zero, "same"
        when it does not, "" when there is nothing to compare with."""
        if self.change is None or self.change_low is None or self.change_high is None:
            return ""
        if self.change_low > 0:
            return "up"
        if self.change_high < 0:
            return "down"
        return "same"


@dataclass(frozen=True)
class Headline:
    """A wave's headline figures at one place: the items of HEADLINES the
    questionnaire has, and the issues people most want dealt with (the most
    chosen first, suppressed ones left out)."""

    wave: Wave
    unit: Unit
    level: str
    responses: int  # counted responses at the place
    figures: list[Figure]
    issues: list[Figure]
    previous: Wave | None

    @property
    def suppressed(self) -> bool:
        """Too few answers at the place for any figure to be shown."""
        return self.responses < self.wave.min_n

    @property
    def shown(self) -> list[Figure]:
        return [f for f in self.figures if not f.suppressed]


def level_of(unit: Unit) -> str | None:
    return LEVEL_OF_KIND.get(unit.kind)


def _perception_waves() -> QuerySet[Wave]:
    return (
        Wave.objects.filter(version__questionnaire__purpose=Purpose.PERCEPTION)
        .exclude(version__status=VersionStatus.DRAFT)
        .select_related("place", "version", "version__questionnaire")
    )


def _ended(today: date | None = None) -> Q:
    """Closed, or open past its last day."""
    today = today or timezone.localdate()
    return Q(status=WaveStatus.CLOSED) | Q(status=WaveStatus.OPEN, ends_on__lt=today)


def _texts(item: results.Item) -> dict[str, str]:
    if item.option:
        option = next((o for o in item.question.options.all() if o.code == item.option), None)
        if option is not None:
            return translations(option, "label")
    return translations(item.question, "text")


def previous_wave(wave: Wave) -> Wave | None:
    """The questionnaire's wave before this one, the change is measured from."""
    return results.previous_wave(wave)


def _count_at(wave: Wave, unit: Unit) -> int:
    return Response.objects.counted().filter(wave=wave, sector__path__startswith=unit.path).count()


def headline(
    wave: Wave, unit: Unit, *, previous: Wave | None = None, compare: bool = True
) -> Headline | None:
    """The wave's headline figures at a place (a sector, station, region or the
    country; None for a substation), with the change since `previous` (by default
    the questionnaire's wave before this one; `compare=False` for none)."""
    level = level_of(unit)
    if level is None:
        return None
    t = results.table(wave)
    items = {item.key: item for item in results.items_of(wave.version_id)}
    keys = [k for k in HEADLINES if k in t.items]
    issue_keys = [k for k in t.items if k.startswith(f"{TOP_ISSUE}:")]
    found = {
        r.item: r
        for r in results.results(t, level, places=[unit.pk], items=keys + issue_keys, small_area=False)
    }
    if compare and previous is None:
        previous = results.previous_wave(wave)
    changes: dict[str, results.Difference] = {}
    if compare and previous is not None and unit.pk in t.place_index[level]:
        changes = {d.item: d for d in results.change(t, results.table(previous), level, unit.pk)}

    def figure(key: str) -> Figure:
        r = found.get(key)
        d = changes.get(key)
        shown = r is not None and not r.suppressed
        return Figure(
            item=key,
            texts=_texts(items[key]),
            is_share=bool(t.is_share[t.items.index(key)]),
            estimate=r.estimate if shown and r else None,
            ci_low=r.ci_low if shown and r else None,
            ci_high=r.ci_high if shown and r else None,
            n=r.n if r else 0,
            suppressed=not shown,
            change=d.estimate if shown and d else None,
            change_low=d.ci_low if shown and d else None,
            change_high=d.ci_high if shown and d else None,
        )

    issues = [figure(k) for k in issue_keys]
    issues = sorted(
        (f for f in issues if not f.suppressed and (f.estimate or 0) > 0),
        key=lambda f: -(f.estimate or 0),
    )[:TOP_ISSUES_SHOWN]
    return Headline(
        wave=wave,
        unit=unit,
        level=level,
        responses=_count_at(wave, unit),
        figures=[figure(k) for k in keys],
        issues=issues,
        previous=previous if changes else None,
    )


# --- the public sector page --------------------------------------------------------------


@dataclass(frozen=True)
class SectorResults:
    """What the public sector page shows: the sector's headline, and when the
    sector has too few answers, its station's, labelled as the station's."""

    sector: Headline
    station: Headline | None


def open_wave(sector: Unit) -> Wave | None:
    """The latest open perception wave that covers the sector: the invitation to take part."""
    return (
        list_open_waves(sector)
        .filter(version__questionnaire__purpose=Purpose.PERCEPTION)
        .order_by("-starts_on", "-pk")
        .first()
    )


def results_wave(sector: Unit, *, look_back: int = 10) -> Wave | None:
    """The wave whose results the sector page shows: the latest that covers the
    sector and is closed, or is still open but already has enough answers there."""
    waves = list(
        _perception_waves()
        .filter(
            status__in=(WaveStatus.OPEN, WaveStatus.CLOSED),
            place__path__in=sector.ancestor_paths(),
        )
        .order_by("-ends_on", "-starts_on", "-pk")[:look_back]
    )
    counts = dict(
        Response.objects.counted()
        .filter(wave__in=[w.pk for w in waves if w.status == WaveStatus.OPEN], sector=sector)
        .values("wave")
        .annotate(n=Count("id"))
        .values_list("wave", "n")
    )
    for wave in waves:
        if wave.status == WaveStatus.CLOSED or counts.get(wave.pk, 0) >= wave.min_n:
            return wave
    return None


def sector_results(sector: Unit, station: Unit | None = None) -> SectorResults | None:
    """The public sector page's survey results (None when no wave has any to show)."""
    wave = results_wave(sector)
    if wave is None:
        return None
    previous = results.previous_wave(wave)
    own = headline(wave, sector, previous=previous)
    if own is None:
        return None
    fallback = None
    if own.suppressed and station is not None and station.path.startswith(wave.place.path):
        fallback = headline(wave, station, previous=previous)
    return SectorResults(own, fallback)


# --- the evaluation [Evaluation 4] and the action plan's indicators ------------------------


def waves_for_period(start: date, end: date) -> tuple[list[Wave], str]:
    """The perception waves an evaluation of [start, end] reports: those that ended
    in it ("in_period"), oldest first; when none did, the latest that ended before
    it ("before"); else none ("none")."""
    ended = _perception_waves().filter(_ended())
    within = list(ended.filter(ends_on__gte=start, ends_on__lte=end).order_by("ends_on", "starts_on", "pk"))
    if within:
        return within, "in_period"
    before = ended.filter(ends_on__lt=start).order_by("-ends_on", "-starts_on", "-pk").first()
    return ([before], "before") if before is not None else ([], "none")


def report_places(wave: Wave) -> list[Unit]:
    """The places an evaluation reports a wave at: the place it surveyed, then the
    regions under it (national and per region)."""
    regions = Unit.objects.filter(kind=UnitKind.REGION, path__startswith=wave.place.path).exclude(
        pk=wave.place_id
    )
    return [wave.place, *regions.order_by("path")]


def place_of_path(path: str) -> Unit | None:
    """The unit at a path; the root (the whole country) for ""."""
    if not path:
        return Unit.objects.filter(parent__isnull=True).order_by("path").first()
    return Unit.objects.filter(path=path).first()


def perception_series(item: str, periods: Iterable[Period], *, path: str = "") -> list[float | None]:
    """An item's figure per half-year at a place, for the action plan's indicators:
    the estimate of the latest wave that ended in the half-year, covers the place
    and asks the item, as a percentage for a share (a mean as it is); None when no
    such wave, when the figure is suppressed, or at a substation."""
    periods = list(periods)
    out: list[float | None] = [None for _p in periods]
    unit = place_of_path(path) if periods else None
    level = level_of(unit) if unit is not None else None
    if unit is None or level is None:
        return out
    waves = list(
        _perception_waves()
        .filter(_ended(), place__path__in=unit.ancestor_paths())
        .filter(ends_on__gte=min(p.start for p in periods), ends_on__lte=max(p.end for p in periods))
        .order_by("-ends_on", "-starts_on", "-pk")
    )
    for i, period in enumerate(periods):
        for wave in (w for w in waves if period.contains(w.ends_on)):
            t = results.table(wave)
            if item not in t.items:
                continue
            found = results.results(t, level, places=[unit.pk], items=[item], small_area=False)
            if found and found[0].estimate is not None:
                value = found[0].estimate
                out[i] = round(100 * value, 1) if t.is_share[t.items.index(item)] else round(value, 2)
            break
    return out
