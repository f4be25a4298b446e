"""Demo concerns: about 50,000 over three years at national scale (5,000
for the small demo), placed in real sector boundaries with hot spots,
following seasons and hours, with realistic channels and outcomes, and a
demo Open311 client with its API key. Deterministic for a seed and day."""

import math
import random
from collections import defaultdict
from datetime import date, datetime, time, timedelta
from typing import Any

import numpy as np
import shapely
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.db.models.functions import Coalesce
from django.utils import timezone
from shapely.geometry import shape

from cpis.accounts.services import create_api_token
from cpis.core.models import IdempotencyRecord, OutboxMessage
from cpis.core.tracking import ALPHABET
from cpis.organisation.access import Actor
from cpis.organisation.models import Assignment, Officer, Role, RoleGrant, Unit

from .models import (
    CLOSED_STATUSES,
    OPEN_STATUSES,
    Category,
    Channel,
    ClosureAnswer,
    Concern,
    ConcernEvent,
    ConcernSupport,
    EventKind,
    Status,
)
from .services import add_citizen_message, assign_concern, notify_overdue, status_event
from .services.public import supporter_hashes

OPEN311_DEMO_USER = "open311.demo-app"
COUNTS = {"national": 50_000, "standard": 50_000, "small": 5_000}
DAYS = 3 * 365

# Share of concerns per category, and the months each peaks in.
CATEGORY_WEIGHTS = {
    "public-order": (0.19, [6, 7, 8, 12]),
    "traffic-safety": (0.22, [7, 8, 12, 1]),
    "narcotics": (0.07, [5, 6, 9, 10]),
    "weapons": (0.05, [12, 1]),
    "domestic-violence": (0.06, [12, 1, 2]),
    "property-crime": (0.14, [10, 11, 12, 1]),
    "youth": (0.06, [5, 6, 9]),
    "trafficking": (0.01, [6, 7]),
    "illegal-logging": (0.04, [10, 11, 12, 1, 2]),
    "border-area": (0.02, [7, 8]),
    "community-tension": (0.03, [3, 6]),
    "other": (0.11, []),
}
CHANNELS = [
    (Channel.WEB, 0.45), (Channel.PHONE, 0.28), (Channel.IN_PERSON, 0.1), (Channel.FORUM, 0.08),
    (Channel.EMAIL, 0.06), (Channel.OPEN311, 0.03),
]  # fmt: skip
HOUR_WEIGHTS = [1, 1, 1, 1, 1, 1, 2, 3, 5, 6, 6, 6, 6, 6, 6, 6, 6, 6, 7, 7, 7, 5, 3, 2]

DESCRIPTIONS = {
    "sq": {
        "public-order": ["Të rinj mblidhen natën pranë {place} dhe bëjnë zhurmë deri vonë.",
                         "Grindje të shpeshta para lokalit në {place}, sidomos fundjavave."],
        "traffic-safety": ["Veturat kalojnë me shpejtësi të madhe pranë shkollës në {place}.",
                           "Mungon shenja e kalimit për këmbësorë në kryqëzimin në {place}."],
        "narcotics": ["Dyshojmë se shitet drogë pranë parkut në {place}."],
        "weapons": ["Të shtëna në ajër gjatë dasmave në {place}."],
        "domestic-violence": ["Dëgjohen britma dhe dhunë në një shtëpi në {place}."],
        "property-crime": ["Janë vjedhur disa vetura gjatë natës në {place}.",
                           "Dikush thyen dyert e bodrumeve në {place}."],
        "youth": ["Fëmijë të vegjël lypin natën pranë {place}."],
        "trafficking": ["Vajza të reja të sjella nga jashtë punojnë në një lokal në {place}."],
        "illegal-logging": ["Prerje e paligjshme e pyllit mbi {place}, kamionë natën."],
        "border-area": ["Kalime të paligjshme të kufirit pranë {place}."],
        "community-tension": ["Grafite fyese në murin e xhamisë/kishës në {place}."],
        "other": ["Ndriçimi publik nuk punon në {place} dhe rruga është e rrezikshme natën."],
    },
    "sr": {
        "public-order": ["Млади се ноћу окупљају код {place} и праве буку до касно."],
        "traffic-safety": ["Аутомобили пролазе великом брзином поред школе у {place}."],
        "narcotics": ["Сумњамо да се продаје дрога код парка у {place}."],
        "weapons": ["Пуцњава у ваздух током свадби у {place}."],
        "domestic-violence": ["Чују се вика и насиље у једној кући у {place}."],
        "property-crime": ["Ноћу су украдена нека возила у {place}."],
        "youth": ["Мала деца просе ноћу код {place}."],
        "trafficking": ["Девојке доведене споља раде у једном локалу у {place}."],
        "illegal-logging": ["Нелегална сеча шуме изнад {place}, камиони ноћу."],
        "border-area": ["Нелегални прелази границе код {place}."],
        "community-tension": ["Увредљиви графити на зиду цркве у {place}."],
        "other": ["Јавна расвета не ради у {place} и улица је опасна ноћу."],
    },
}  # fmt: skip
OUTCOMES = {
    Status.RESOLVED: ["Patrullat u shtuan në zonë dhe problemi u zgjidh.",
                      "Rasti u shqyrtua; personat përgjegjës u identifikuan dhe u ndëshkuan.",
                      "Në bashkëpunim me komunën u vendos sinjalizimi i duhur."],
    Status.REFERRED: ["U referua te komuna, e cila është përgjegjëse për këtë çështje.",
                      "U referua te Qendra për Punë Sociale."],
    Status.DUPLICATE: ["Kjo është raportuar më herët; po ndiqet nën të njëjtin rast."],
    Status.REJECTED: ["Nuk u gjetën shenja të ndonjë vepre; nëse përsëritet, na njoftoni përsëri."],
}  # fmt: skip


# Public summaries as officers write them: short, in their own words, no one named.
SUMMARIES = {
    "sq": {
        "public-order": ["Zhurmë dhe tubime të të rinjve natën; patrullat e natës janë shtuar.",
                         "Grindje para një lokali në fundjavë."],
        "traffic-safety": ["Shpejtësi e madhe e veturave pranë një shkolle; kërkohet sinjalizim.",
                           "Mungon kalimi për këmbësorë në një kryqëzim."],
        "narcotics": ["Dyshime për shitje droge pranë një parku publik."],
        "weapons": ["Të shtëna në ajër gjatë festave familjare."],
        "property-crime": ["Vjedhje veturash gjatë natës.", "Thyerje të bodrumeve në një ndërtesë banimi."],
        "youth": ["Fëmijë që lypin natën në rrugë; është njoftuar Qendra për Punë Sociale."],
        "illegal-logging": ["Prerje e paligjshme e pyllit dhe transport me kamionë natën."],
        "border-area": ["Kalime të paligjshme pranë vijës kufitare."],
        "community-tension": ["Grafite fyese në murin e një objekti fetar."],
        "other": ["Ndriçimi publik nuk punon dhe rruga është e errët natën."],
    },
    "sr": {
        "public-order": ["Бука и окупљање младих ноћу; ноћне патроле су појачане."],
        "traffic-safety": ["Велика брзина возила поред школе; потребна сигнализација."],
        "narcotics": ["Сумња на продају дроге код јавног парка."],
        "weapons": ["Пуцњава у ваздух током породичних прослава."],
        "property-crime": ["Крађе возила током ноћи."],
        "youth": ["Деца просе ноћу на улици; обавештен је Центар за социјални рад."],
        "illegal-logging": ["Нелегална сеча шуме и превоз камионима ноћу."],
        "border-area": ["Нелегални прелази код граничне линије."],
        "community-tension": ["Увредљиви графити на зиду верског објекта."],
        "other": ["Јавна расвета не ради и улица је мрачна ноћу."],
    },
}  # fmt: skip
# Closing the loop (issue #15): of the reporters who left an e-mail and were asked after a
# closure as resolved, this share answered, within ten days, and this share said "resolved".
ANSWER_SHARE = 0.45
RESOLVED_SHARE = 0.8
PUBLIC_SHARE = 0.4  # of recent concerns in public categories, an officer published a summary
PUBLIC_DAYS = 120


def clear_demo() -> None:
    ConcernSupport.objects.all().delete()
    ConcernEvent.objects.all().delete()
    Concern.objects.update(duplicate_of=None)
    Concern.objects.all().delete()
    OutboxMessage.objects.filter(record_type="concerns.concern").delete()
    IdempotencyRecord.objects.all().delete()
    get_user_model().objects.filter(username=OPEN311_DEMO_USER).delete()


def _reference(rng: random.Random, used: set[str]) -> str:
    while True:
        reference = "".join(rng.choice(ALPHABET) for _ in range(8))
        if reference not in used:
            used.add(reference)
            return reference


def _points_in(
    geometry: Any, count: int, rng: np.random.Generator, hotspots: list[tuple[float, float]]
) -> np.ndarray:
    """`count` points inside a polygon, a third of them around hot spots."""
    shapely.prepare(geometry)
    minx, miny, maxx, maxy = geometry.bounds
    found: list[np.ndarray] = []
    total = 0
    while total < count:
        n = max(64, (count - total) * 3)
        xs, ys = rng.uniform(minx, maxx, n), rng.uniform(miny, maxy, n)
        if hotspots:
            hot = rng.random(n) < 0.35
            centres = np.array(hotspots)[rng.integers(0, len(hotspots), n)]
            xs = np.where(hot, centres[:, 0] + rng.normal(0, 0.002, n), xs)
            ys = np.where(hot, centres[:, 1] + rng.normal(0, 0.0015, n), ys)
        inside = shapely.contains_xy(geometry, xs, ys)
        chosen = np.column_stack([xs[inside], ys[inside]])
        found.append(chosen)
        total += len(chosen)
    return np.concatenate(found)[:count]


def _created_at(category: str, rng: random.Random, start: date, days: int) -> datetime:
    peaks = CATEGORY_WEIGHTS[category][1]
    while True:
        day = start + timedelta(days=rng.randrange(days))
        # Peak months are twice as busy.
        if day.month in peaks or rng.random() < 0.5:
            break
    hour = rng.choices(range(24), weights=HOUR_WEIGHTS)[0]
    moment = datetime.combine(day, time(hour, rng.randrange(60), rng.randrange(60)))
    return timezone.make_aware(moment)


@transaction.atomic
def load_demo(*, scale: str, seed: int, today: date) -> list[str]:
    """Create the demo concerns; returns lines for the command to print."""
    created = add_demo_concerns(
        count=COUNTS[scale], start=today - timedelta(days=DAYS), days=DAYS, seed=seed, today=today
    )
    if not created:
        return []
    published = publish_demo_summaries(seed=seed, today=today)
    answered, reopened = answer_demo_closures(seed=seed, today=today)
    user = get_user_model().objects.create_user(username=OPEN311_DEMO_USER)
    user.set_unusable_password()
    user.save()
    _token, key = create_api_token(user=user, name="Open311 demo application")
    return [
        f"{created} demo concerns over three years, {published} of them public (/reports/).",
        f"{answered} reporters answered whether their concern is resolved; {reopened} reopened by the answer.",
        _todays_work(),
        f"Demo Open311 API key (POST /open311/v2/requests.json): {key}",
    ]


CITIZEN_FOLLOW_UPS = [
    "A ka ndonjë lajm? Sonte përsëri ishin aty deri në mesnatë.",
    "Harrova të shkruaj: vetura është një Golf i kuq pa targa.",
]


def _todays_work() -> str:
    """Today's work for the demo's sector officer, through the real services (so
    the inbox tells of it as it would): the station's coordinator assigns three
    new concerns of the sector to them, a citizen writes on one of theirs, and
    the day's check of overdue concerns runs."""
    officer = Officer.objects.filter(user__username="sector.officer").select_related("user").first()
    assignment = Assignment.objects.current().filter(officer=officer).select_related("sector").first()
    grant = RoleGrant.objects.filter(role=Role.STATION_COORDINATOR).select_related("user", "unit").first()
    if officer is None or assignment is None or grant is None:
        return "No demo sector officer: no concerns assigned today."
    coordinator = Actor.for_user(grant.user)
    fresh = list(
        Concern.objects.filter(
            sector=assignment.sector, status__in=[Status.RECEIVED, Status.TRIAGED], is_held=False
        ).order_by("-created_at")[:3]
    )
    for concern in fresh:
        assign_concern(coordinator, concern=concern, officer=officer)
    theirs = list(
        Concern.objects.open()
        .filter(assigned_officer=officer, channel=Channel.WEB)
        .exclude(pk__in=[c.pk for c in fresh])
        .order_by("-created_at")[: len(CITIZEN_FOLLOW_UPS)]
    )
    for concern, text in zip(theirs, CITIZEN_FOLLOW_UPS, strict=False):
        add_citizen_message(concern=concern, text=text)
    overdue = notify_overdue()
    return (
        f"Today {len(fresh)} concerns were assigned to {officer.full_name} (sector.officer), citizens wrote on "
        f"{len(theirs)} of theirs, and assignees were told of {overdue} overdue concerns."
    )


def add_demo_concerns(*, count: int, start: date, days: int, seed: int, today: date) -> int:
    """`count` concerns over `days` from `start`, with realistic places,
    seasons, channels and status histories (the action plan's demo adds its
    2012–2016 years this way). Returns how many were made."""
    rng = random.Random(seed * 7 + 1)
    nprng = np.random.default_rng(seed)
    categories = {c.code: c for c in Category.objects.all()}
    sectors = list(Unit.objects.sectors().exclude(boundary=None).select_related("parent"))
    if not sectors:
        return 0
    team: dict[int, list[int]] = defaultdict(list)
    for sector_id, officer_id in Assignment.objects.current(today).values_list("sector_id", "officer_id"):
        team[sector_id].append(officer_id)
    serbian = {"mitrovice-e-veriut", "zvecan", "zubin-potok", "leposaviq", "gracanice", "shterpce",
               "ranillug", "partesh", "kllokot"}  # fmt: skip
    weights = np.array([max(s.population or 500, 500) for s in sectors], dtype=float)
    per_sector = nprng.multinomial(count, weights / weights.sum())
    codes = list(CATEGORY_WEIGHTS)
    code_weights = [CATEGORY_WEIGHTS[c][0] for c in codes]
    now = timezone.make_aware(datetime.combine(today, time(12)))
    used: set[str] = set(Concern.objects.values_list("reference", flat=True))
    concerns: list[Concern] = []
    for sector, n in zip(sectors, per_sector.tolist(), strict=True):
        if n == 0:
            continue
        geometry = shape(sector.boundary)
        centre = geometry.representative_point()
        hotspots = [(centre.x + nprng.normal(0, 0.004), centre.y + nprng.normal(0, 0.003)) for _ in range(2)]
        points = _points_in(geometry, int(n), nprng, hotspots)
        station_code = sector.path.split("/")[2]
        for lon, lat in points:
            code = rng.choices(codes, weights=code_weights)[0]
            if code == "illegal-logging" and sector.code.endswith(("q1", "q2", "q3", "q4", "q5")):
                code = "public-order"  # no forests in town centres
            category = categories[code]
            language = "sr" if station_code in serbian and rng.random() < 0.8 else "sq"
            created = _created_at(code, rng, start, days)
            channel = rng.choices([c for c, _w in CHANNELS], weights=[w for _c, w in CHANNELS])[0]
            place = sector.name_sr if language == "sr" else sector.name_sq
            description = rng.choice(DESCRIPTIONS[language][code]).format(place=place)
            anonymous = rng.random() < 0.55
            concerns.append(
                Concern(
                    reference=_reference(rng, used),
                    category=category,
                    description=description,
                    text_language=language,
                    language=language,
                    channel=channel,
                    lat=round(float(lat), 6),
                    lon=round(float(lon), 6),
                    sector=sector,
                    unit=sector,
                    unit_path=sector.path,
                    created_at=created,
                    updated_at=created,
                    due_at=created + timedelta(days=category.due_days),
                    is_anonymous=anonymous,
                    reporter_email=""
                    if anonymous or rng.random() < 0.4
                    else f"qytetar{len(concerns)}@example.org",
                    reporter_phone=""
                    if anonymous
                    else f"+383 44 {rng.randint(100, 999)} {rng.randint(100, 999)}",
                )
            )
    concerns.sort(key=lambda c: c.created_at)
    events = _workflow(concerns, team, rng, now)
    Concern.objects.bulk_create(concerns, batch_size=2000)
    ConcernEvent.objects.bulk_create(events, batch_size=5000)
    # bulk_create stamped updated_at with "now" (auto_now): give each concern its last change.
    Concern.objects.filter(pk__in=[c.pk for c in concerns]).update(
        updated_at=Coalesce("closed_at", "created_at")
    )
    # Fresh planner statistics after a bulk load (PostgreSQL would otherwise
    # plan the queue as if the table were empty until autovacuum runs).
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return len(concerns)


def _workflow(
    concerns: list[Concern], team: dict[int, list[int]], rng: random.Random, now: datetime
) -> list[ConcernEvent]:
    """Status histories: old concerns mostly closed, recent ones in every state."""
    events: list[ConcernEvent] = []
    for concern in concerns:
        at = concern.created_at
        events.append(
            ConcernEvent(
                concern=concern, at=at, kind=EventKind.SUBMITTED, to_status=Status.RECEIVED, is_public=True
            )
        )
        age_days = (now - at).days
        due_days = concern.category.due_days
        progress = min(1.0, age_days / max(due_days * 1.5, 1))
        steps = [Status.TRIAGED, Status.ASSIGNED, Status.IN_PROGRESS]
        reached = math.floor(progress * 4 + rng.random())
        status = Status.RECEIVED
        for step in steps[: min(reached, 3)]:
            at += timedelta(hours=rng.uniform(2, 48))
            if at > now:
                break
            if step == Status.ASSIGNED and team.get(concern.sector_id or 0):
                concern.assigned_officer_id = rng.choice(team[concern.sector_id or 0])
            events.append(status_event(concern, status, step, at=at))
            status = step
        # Nearly everything older than three deadlines is closed; some recent
        # ones are closed quickly, the rest are still being worked.
        if reached >= 4 and age_days > 3 and (rng.random() < 0.85 or age_days > due_days * 3):
            closing = rng.choices(
                [Status.RESOLVED, Status.REFERRED, Status.DUPLICATE, Status.REJECTED], weights=[70, 13, 7, 10]
            )[0]
            at = min(at + timedelta(days=rng.uniform(1, due_days * 1.3)), now)
            text = rng.choice(OUTCOMES[closing])
            events.append(status_event(concern, status, closing, text, at=at))
            concern.outcome = text
            concern.closed_at = at
            status = closing
        concern.status = status
        concern.updated_at = at
        if status in CLOSED_STATUSES and concern.closed_at is None:
            concern.closed_at = at
    return events


def publish_demo_summaries(*, seed: int, today: date) -> int:
    """Public summaries on a share of the recent concerns in public
    categories, approved by the assigned officer a day or two after receipt,
    and a few "me too" supports on the open ones, so the public reports map
    shows something. Returns how many were published."""
    rng = random.Random(seed * 11 + 5)
    now = timezone.make_aware(datetime.combine(today, time(12)))
    officer_users = dict(Officer.objects.exclude(user=None).values_list("pk", "user_id"))
    candidates = (
        Concern.objects.filter(created_at__gte=now - timedelta(days=PUBLIC_DAYS), is_held=False)
        .filter(category__is_sensitive=False)
        .exclude(status__in=[Status.DUPLICATE, Status.REJECTED])
        .select_related("category")
        .order_by("created_at", "pk")
    )
    chosen, events, supports = [], [], []
    for concern in candidates:
        if rng.random() >= PUBLIC_SHARE:
            continue
        language = "sr" if concern.text_language == "sr" else "sq"
        concern.public_summary = rng.choice(SUMMARIES[language][concern.category.code])
        concern.public_summary_approved_at = min(
            concern.created_at + timedelta(hours=rng.uniform(6, 48)), now
        )
        concern.public_summary_approved_by_id = officer_users.get(concern.assigned_officer_id or 0)
        events.append(
            ConcernEvent(
                concern=concern,
                at=concern.public_summary_approved_at,
                actor_id=concern.public_summary_approved_by_id,
                kind=EventKind.PUBLISHED,
                text=concern.public_summary,
            )
        )
        if concern.status in OPEN_STATUSES:
            count = rng.choices([0, 1, 2, 3, 5, 8], weights=[40, 25, 15, 10, 6, 4])[0]
            for n in range(count):
                session_hash, _ = supporter_hashes(session_key=f"demo-{concern.reference}-{n}", email="")
                supports.append(ConcernSupport(concern=concern, session_hash=session_hash, at=now))
            concern.support_count = count
        chosen.append(concern)
    Concern.objects.bulk_update(
        chosen,
        ["public_summary", "public_summary_approved_at", "public_summary_approved_by", "support_count"],
        batch_size=2000,
    )
    ConcernEvent.objects.bulk_create(events, batch_size=5000)
    ConcernSupport.objects.bulk_create(supports, batch_size=5000)
    return len(chosen)


def answer_demo_closures(*, seed: int, today: date) -> tuple[int, int]:
    """The reporters' answers to "is it resolved?" after a closure as resolved:
    ANSWER_SHARE of the reporters who left an e-mail answer within ten days,
    RESOLVED_SHARE of them "resolved". As `services.feedback.answer_closure`
    does, "not resolved" within four weeks reopens the concern (back to in
    progress by the system, the answer in its public history); a reopened
    concern whose category's deadline has passed since was resolved again.
    Returns (answers, reopened)."""
    from django.utils import translation
    from django.utils.translation import gettext

    from .services.feedback import REOPEN_WITHIN

    rng = random.Random(seed * 13 + 3)
    now = timezone.make_aware(datetime.combine(today, time(12)))
    candidates = (
        Concern.objects.filter(status=Status.RESOLVED, closed_at__isnull=False)
        .exclude(reporter_email="")
        .select_related("category")
        .order_by("closed_at", "pk")
    )
    answers, events, reopened = [], [], []
    for concern in candidates:
        if rng.random() >= ANSWER_SHARE:
            continue
        closed_at = concern.closed_at
        if closed_at is None:  # filtered out above
            continue
        answered = closed_at + timedelta(hours=rng.uniform(2, 240))
        if answered > now:
            continue
        resolved = rng.random() < RESOLVED_SHARE
        reopen = not resolved and answered - closed_at <= REOPEN_WITHIN
        answers.append(
            ClosureAnswer(
                concern=concern, closed_at=closed_at, resolved=resolved, answered_at=answered, reopened=reopen
            )
        )
        with translation.override(concern.language or "sq"):
            text = (
                gettext("The reporter says the concern is resolved.")
                if resolved
                else gettext("The reporter says the concern is not resolved.")
            )
        events.append(
            ConcernEvent(concern=concern, kind=EventKind.CITIZEN, text=text, is_public=True, at=answered)
        )
        if not reopen:
            continue
        events.append(status_event(concern, Status.RESOLVED, Status.IN_PROGRESS, at=answered))
        events.append(ConcernEvent(concern=concern, kind=EventKind.NOTE, text=text, at=answered))
        again = answered + timedelta(days=rng.uniform(2, max(concern.category.due_days, 3)))
        if again < now:
            outcome = rng.choice(OUTCOMES[Status.RESOLVED])
            events.append(status_event(concern, Status.IN_PROGRESS, Status.RESOLVED, outcome, at=again))
            concern.status, concern.closed_at, concern.outcome = Status.RESOLVED, again, outcome
            concern.updated_at = again
        else:  # still being worked: flagged in the queue as the reporter wrote
            concern.status, concern.closed_at, concern.outcome = Status.IN_PROGRESS, None, ""
            concern.citizen_wrote_at = answered
            concern.updated_at = answered
        reopened.append(concern)
    ClosureAnswer.objects.bulk_create(answers, batch_size=5000)
    ConcernEvent.objects.bulk_create(events, batch_size=5000)
    Concern.objects.bulk_update(
        reopened, ["status", "closed_at", "outcome", "citizen_wrote_at", "updated_at"], batch_size=2000
    )
    return len(answers), len(reopened)
