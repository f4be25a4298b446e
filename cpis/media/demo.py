"""Demo media log: a few thousand reports over the last three years from fictional
outlets (television, radio, online, print; Albanian, Serbian, English, Turkish), with
neutral, generic headlines about the stations' and regions' places, linked to the
forums' press releases and meetings, outreach activities and problems the other
demos loaded.

The tone is planted, so that the figures can be checked against it (`shares`): a
report's chance of being positive, neutral or negative depends on its topic, rises
over the three years, and is higher for a sector whose local forum (an LPSC or a
CSAT) is active (FORUM_LIFT). Deterministic from the seed."""

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from cpis.core.i18n import to_serbian_latin
from cpis.forums.models import Forum, ForumStatus, Meeting, MeetingStatus, PressRelease
from cpis.organisation.models import Unit, UnitKind
from cpis.outreach.models import Kind as OutreachKind
from cpis.outreach.models import OutreachActivity
from cpis.problems.models import Problem

from . import rules
from .models import MediaItem, MediaPlace, Outlet, OutletKind, Topic

# (name, kind, language, reach, domain): fictional outlets; links go to .example domains.
OUTLETS = [
    ("TV Agimi", OutletKind.TV, "sq", 180_000, "agimi.example"),
    ("TV Dardana Lajme", OutletKind.TV, "sq", 120_000, "dardana-lajme.example"),
    ("TV Sloga", OutletKind.TV, "sr", 25_000, "tvsloga.example"),
    ("Radio Bleta", OutletKind.RADIO, "sq", 40_000, "radiobleta.example"),
    ("Radio Zvono", OutletKind.RADIO, "sr", 12_000, "radiozvono.example"),
    ("Radio Yıldız", OutletKind.RADIO, "tr", 6_000, "radioyildiz.example"),
    ("Portali Sinjali", OutletKind.ONLINE, "sq", 250_000, "sinjali.example"),
    ("Portali Ura", OutletKind.ONLINE, "sq", 90_000, "ura.example"),
    ("Portal Vesti Sever", OutletKind.ONLINE, "sr", 30_000, "vesti-sever.example"),
    ("Kosovo Daily Monitor", OutletKind.ONLINE, "en", 15_000, "kosovo-monitor.example"),
    ("Gazeta Mëngjesi", OutletKind.PRINT, "sq", 20_000, "mengjesi.example"),
    ("Gazeta e Jugut", OutletKind.PRINT, "sq", 8_000, None),
]
# Topic code → (weight, positive, negative): the base shares of the planted tone.
TOPICS = {
    "community_policing": (18, 0.45, 0.10),
    "forums": (12, 0.50, 0.08),
    "traffic_safety": (14, 0.35, 0.15),
    "domestic_violence": (9, 0.25, 0.25),
    "drugs": (9, 0.35, 0.15),
    "misconduct": (6, 0.05, 0.70),
    "crime": (20, 0.20, 0.30),
    "events": (8, 0.55, 0.05),
    "other": (4, 0.25, 0.20),
}
# For a sector with an active forum the positive share rises and the negative one falls by this much.
FORUM_LIFT = 0.12
# Over the three years the positive share rises by this much (and the negative one falls).
TREND = 0.08
# About this many reports over the three years, whatever the scale, shared among the stations.
TARGET = 3000

HEADLINES = {
    "sq": {
        "community_policing": "Policia e sektorit takon banorët në {place}",
        "forums": "Forumi i sigurisë në {place} mban takimin e radhës",
        "traffic_safety": "Fushatë për sigurinë në trafik në {place}",
        "domestic_violence": "Policia flet për parandalimin e dhunës në familje në {place}",
        "drugs": "Ligjëratë për rreziqet e narkotikëve në {place}",
        "misconduct": "Ankesë ndaj punës së policisë në {place}",
        "crime": "Policia raporton për rastet e javës në {place}",
        "events": "Ditë e hapur në stacionin policor në {place}",
        "other": "Lajme nga policia në {place}",
    },
    "sr": {
        "community_policing": "Policija sektora se sastala sa građanima u {place}",
        "forums": "Forum za bezbednost u {place} održao redovan sastanak",
        "traffic_safety": "Kampanja za bezbednost saobraćaja u {place}",
        "domestic_violence": "Policija o sprečavanju nasilja u porodici u {place}",
        "drugs": "Predavanje o opasnostima droge u {place}",
        "misconduct": "Pritužba na rad policije u {place}",
        "crime": "Policija izveštava o slučajevima nedelje u {place}",
        "events": "Dan otvorenih vrata u policijskoj stanici u {place}",
        "other": "Vesti iz policije u {place}",
    },
    "en": {
        "community_policing": "Sector police meet residents in {place}",
        "forums": "Community safety forum in {place} holds its regular meeting",
        "traffic_safety": "Traffic safety campaign in {place}",
        "domestic_violence": "Police discuss preventing domestic violence in {place}",
        "drugs": "Talk on the dangers of drugs in {place}",
        "misconduct": "Complaint about police conduct in {place}",
        "crime": "Police report the week's cases in {place}",
        "events": "Open day at the police station in {place}",
        "other": "Police news from {place}",
    },
    "tr": {
        "community_policing": "Sektör polisi vatandaşlarla görüştü ({place})",
        "forums": "Güvenlik forumu olağan toplantısını yaptı ({place})",
        "traffic_safety": "Trafik güvenliği kampanyası ({place})",
        "domestic_violence": "Polis aile içi şiddetin önlenmesini anlattı ({place})",
        "drugs": "Uyuşturucunun tehlikeleri üzerine konferans ({place})",
        "misconduct": "Polisin çalışmasına şikâyet ({place})",
        "crime": "Polis haftanın olaylarını açıkladı ({place})",
        "events": "Polis karakolunda açık gün ({place})",
        "other": "Polisten haberler ({place})",
    },
}


def shares(
    topic: str, *, forum_active: bool, day: date, start: date, end: date
) -> tuple[float, float, float]:
    """The planted chances (positive, neutral, negative) of a report."""
    _weight, positive, negative = TOPICS[topic]
    progress = (day - start).days / max(1, (end - start).days)
    lift = (FORUM_LIFT if forum_active else 0.0) + TREND * progress
    positive = min(0.9, positive + lift)
    negative = max(0.02, negative - lift / 2)
    return positive, 1 - positive - negative, negative


def window(today: date) -> tuple[date, date]:
    """The last three years, to today."""
    try:
        start = today.replace(year=today.year - 3)
    except ValueError:  # 29 February
        start = today.replace(year=today.year - 3, day=28)
    return start, today


def forum_sectors() -> set[str]:
    """Paths of the sectors that have an active forum of their own (an LPSC or a CSAT)."""
    return set(
        Forum.objects.filter(status=ForumStatus.ACTIVE, unit__kind=UnitKind.SECTOR).values_list(
            "unit_path", flat=True
        )
    )


def clear_demo() -> None:
    MediaItem.objects.all().delete()
    Outlet.objects.filter(name__in=[o[0] for o in OUTLETS]).delete()


@dataclass
class _Station:
    unit: Unit
    sectors: list[Unit]
    releases: list[tuple[date, int]]
    meetings: list[tuple[date, int]]
    activities: list[tuple[date, int]]
    problems: list[int]


def _day_of(value: datetime | date | None) -> date:
    if value is None:
        return date.min
    if isinstance(value, datetime):
        return timezone.localtime(value).date()
    return value


def _near(records: list[tuple[date, int]], day: date, days: int = 10) -> int | None:
    for when, pk in records:
        if 0 <= (day - when).days <= days:
            return pk
    return None


def _stations(start: date) -> list[_Station]:
    stations = list(Unit.objects.filter(kind=UnitKind.STATION).select_related("parent").order_by("path"))
    sectors: dict[str, list[Unit]] = {}
    for sector in Unit.objects.filter(kind=UnitKind.SECTOR).order_by("path"):
        sectors.setdefault("/".join(sector.path.strip("/").split("/")[:3]) + "/", []).append(sector)

    def station_of(path: str) -> str:
        return "/".join(path.strip("/").split("/")[:3]) + "/"

    releases: dict[str, list[tuple[date, int]]] = {}
    for pk, path, when in PressRelease.objects.filter(
        is_published=True, published_at__date__gte=start
    ).values_list("pk", "forum__unit_path", "published_at"):
        releases.setdefault(station_of(path), []).append((_day_of(when), pk))
    meetings: dict[str, list[tuple[date, int]]] = {}
    for pk, path, when in Meeting.objects.filter(
        status=MeetingStatus.HELD, is_public=True, starts_at__date__gte=start
    ).values_list("pk", "forum__unit_path", "starts_at"):
        meetings.setdefault(station_of(path), []).append((_day_of(when), pk))
    activities: dict[str, list[tuple[date, int]]] = {}
    for pk, path, day in OutreachActivity.objects.filter(
        kind__in=[OutreachKind.MEDIA, OutreachKind.CAMPAIGN, OutreachKind.OPEN_DAY], happened_on__gte=start
    ).values_list("pk", "unit_path", "happened_on"):
        activities.setdefault(station_of(path), []).append((day, pk))
    problems: dict[str, list[int]] = {}
    for pk, path in Problem.objects.values_list("pk", "unit_path"):
        problems.setdefault(station_of(path), []).append(pk)
    return [
        _Station(
            unit=s,
            sectors=sectors.get(s.path, []),
            releases=sorted(releases.get(s.path, [])),
            meetings=sorted(meetings.get(s.path, [])),
            activities=sorted(activities.get(s.path, [])),
            problems=problems.get(s.path, []),
        )
        for s in stations
    ]


def _poisson(rng: random.Random, mean: float) -> int:
    # Knuth's method: small means only.
    limit, k, p = pow(2.718281828459045, -mean), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


@transaction.atomic
def load_demo(*, scale: str, seed: int, today: date) -> list[str]:
    """Outlets and a media log of the last three years for every station."""
    rng = random.Random(f"media-{seed}")  # noqa: S311 (demo data, not secrets)
    start, end = window(today)
    outlets = []
    for name, kind, language, reach, domain in OUTLETS:
        outlet, _created = Outlet.objects.get_or_create(
            name=name, defaults={"kind": kind, "language": language, "reach": reach}
        )
        outlets.append((outlet, domain))
    topics = {t.code: t for t in Topic.objects.filter(code__in=TOPICS)}
    stations = _stations(start)
    active = forum_sectors()
    if not stations or len(topics) != len(TOPICS):
        return []
    codes = list(TOPICS)
    weights = [TOPICS[c][0] for c in codes]
    seen: set[tuple[int, date, str]] = set()
    items: list[MediaItem] = []
    places: list[list[Unit]] = []
    links: list[dict[str, int | None]] = []
    days = (end - start).days
    for station in stations:
        expected = TARGET / len(stations)
        for _n in range(
            _poisson(rng, expected) if expected < 30 else round(rng.gauss(expected, expected**0.5))
        ):
            day = start + timedelta(days=rng.randint(0, days))
            code = rng.choices(codes, weights)[0]
            outlet, domain = rng.choice(outlets)
            where = station.unit
            roll = rng.random()
            if station.sectors and roll < 0.5:
                where = rng.choice(station.sectors)
            elif roll > 0.92 and station.unit.parent is not None:
                where = station.unit.parent  # a report about the region
            positive, neutral, _negative = shares(
                code, forum_active=where.path in active, day=day, start=start, end=end
            )
            roll = rng.random()
            tone = "positive" if roll < positive else "neutral" if roll < positive + neutral else "negative"
            template = HEADLINES.get(outlet.language, HEADLINES["sq"])[code]
            name = (
                to_serbian_latin(where.name_sr)
                if outlet.language == "sr" and where.name_sr
                else where.name_sq
            )
            headline = template.format(place=name)[:300]
            key = (outlet.pk, day, rules.headline_key(headline))
            if key in seen:
                continue
            seen.add(key)
            url = f"https://{domain}/{day:%Y/%m/%d}/{len(items) + 1}" if domain else ""
            items.append(
                MediaItem(
                    published_on=day,
                    outlet=outlet,
                    headline=headline,
                    headline_key=rules.headline_key(headline),
                    url=url,
                    url_key=rules.url_key(url),
                    topic=topics[code],
                    tone=tone,
                    created_at=timezone.make_aware(datetime.combine(day, time(16, rng.randint(0, 59)))),
                )
            )
            places.append([where])
            local = where.kind != UnitKind.REGION  # a region's report is not about one station's records
            links.append(
                {
                    "release": _near(station.releases, day) if local and code == "forums" else None,
                    "meeting": _near(station.meetings, day, 3) if local and code == "forums" else None,
                    "activity": _near(station.activities, day, 5)
                    if local and code in {"community_policing", "events", "traffic_safety", "drugs"}
                    else None,
                    "problem": rng.choice(station.problems)
                    if local and station.problems and code in {"crime", "drugs"} and rng.random() < 0.1
                    else None,
                    "municipality": where.municipality_id or station.unit.municipality_id,
                }
            )
    created = MediaItem.objects.bulk_create(items, batch_size=2000)
    MediaPlace.objects.bulk_create(
        [
            MediaPlace(item=item, unit=u, unit_path=u.path)
            for item, us in zip(created, places, strict=True)
            for u in us
        ],
        batch_size=5000,
    )
    for field, through_field, link_key in (
        ("press_releases", "pressrelease_id", "release"),
        ("meetings", "meeting_id", "meeting"),
        ("activities", "outreachactivity_id", "activity"),
        ("problems", "problem_id", "problem"),
        ("municipalities", "municipality_id", "municipality"),
    ):
        through = getattr(MediaItem, field).through
        through.objects.bulk_create(
            [
                through(**{"mediaitem_id": item.pk, through_field: link[link_key]})
                for item, link in zip(created, links, strict=True)
                if link[link_key] is not None
            ],
            batch_size=5000,
        )
    linked = sum(
        1 for link in links if link["release"] or link["meeting"] or link["activity"] or link["problem"]
    )
    return [
        f"Media: {len(created)} reports from {len(outlets)} outlets about {len(stations)} stations "
        f"over {start:%Y-%m-%d}–{end:%Y-%m-%d}, {linked} linked to forum, outreach or problem records."
    ]
