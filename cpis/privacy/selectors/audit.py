"""Reading the access log for the data-protection officer: entries by
reader, record, period, outcome and purpose; the alerts (bursts of reads,
repeated refused attempts by one person within an hour); and the checks of
the hash chain. Everything here is the officer's alone (policy "audit", held
at the root); anyone else gets 404."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from itertools import groupby
from operator import itemgetter

import numpy as np
from django.apps import apps
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cpis.accounts.models import AccessLogEntry, Outcome, User
from cpis.core.periods import day_start
from cpis.organisation.access import Actor

from ..models import ChainCheck
from ..policy import policy

# What an export of the access log is logged as (one entry per export; its
# "record" is the number of entries exported).
EXPORT_SUBJECT = "accounts.accesslogentry"
# The outcome filter's value for both kinds of refused attempt.
REFUSALS = "refusals"
REFUSED_OUTCOMES = (Outcome.REFUSED, Outcome.OUTSIDE)
WINDOW = timedelta(hours=1)
# Record types whose name is not a model's.
TYPE_LABELS = {
    "": gettext_lazy("No particular record"),
    "training.officer": gettext_lazy("Officer's training record"),
    EXPORT_SUBJECT: gettext_lazy("The access log (an export)"),
}


def _at_root(path: str) -> bool:
    # The root's path is its code alone ("kp/"); every other unit's holds its parent's.
    return path.count("/") == 1


def may_audit(actor: Actor) -> bool:
    """Holds the data-protection officer's role at the root (or is the system)."""
    return actor.is_system or any(_at_root(path) for path in policy.places(actor, "audit"))


def require_audit(actor: Actor) -> None:
    """404 for anyone who does not audit anywhere; 403 for an officer whose
    role is held below the root (the log is national)."""
    policy.require_anywhere(actor, "audit")
    if not may_audit(actor):
        raise PermissionDenied(_("You may not do this here."))


# --- the entries ----------------------------------------------------------------


@dataclass(frozen=True)
class AuditFilters:
    """`start` and `end` are aware datetimes, `end` excluded; `reader` is a
    username (that user only) or words of a name or username."""

    start: datetime
    end: datetime
    reader: str = ""
    subject_type: str | None = None  # None: any; "": entries about no particular record
    subject_id: str = ""
    outcome: str = ""
    purpose: str = ""


def default_days(now: datetime | None = None) -> tuple[date, date]:
    """The last 30 days, today included: the first and the last."""
    today = timezone.localdate(now)
    return today - timedelta(days=29), today


def default_period(now: datetime | None = None) -> tuple[datetime, datetime]:
    """The last 30 days as [local midnight 29 days ago, the next midnight)."""
    first, last = default_days(now)
    return day_start(first), day_start(last + timedelta(days=1))


def _readers(text: str) -> Q:
    words = text.split()
    if not words:
        return Q()
    exact = User.objects.filter(username__iexact=text.strip()).values_list("pk", flat=True).first()
    if exact is not None:
        return Q(user_id=exact)
    found = Q()
    for word in words:
        found &= (
            Q(user__username__icontains=word)
            | Q(user__first_name__icontains=word)
            | Q(user__last_name__icontains=word)
        )
    return found


def list_entries(actor: Actor, filters: AuditFilters) -> QuerySet[AccessLogEntry]:
    """The entries that match, newest first."""
    require_audit(actor)
    entries = AccessLogEntry.objects.filter(at__gte=filters.start, at__lt=filters.end)
    if filters.reader:
        entries = entries.filter(_readers(filters.reader))
    if filters.subject_type is not None:
        entries = entries.filter(subject_type=filters.subject_type)
    if filters.subject_id:
        entries = entries.filter(subject_id=filters.subject_id)
    if filters.outcome == REFUSALS:
        entries = entries.filter(outcome__in=REFUSED_OUTCOMES)
    elif filters.outcome:
        entries = entries.filter(outcome=filters.outcome)
    if filters.purpose:
        entries = entries.filter(purpose=filters.purpose)
    return entries.select_related("user").order_by("-at", "-seq")


def record_type_label(subject_type: str) -> str:
    """What a record type is called: its model's name, or the raw type."""
    if subject_type in TYPE_LABELS:
        return str(TYPE_LABELS[subject_type])
    try:
        model = apps.get_model(subject_type)
    except (LookupError, ValueError):
        return subject_type
    return str(capfirst(model._meta.verbose_name))


def list_record_types() -> list[tuple[str, str]]:
    """(type, label) of every record type the log holds, by label."""
    types = AccessLogEntry.objects.order_by().values_list("subject_type", flat=True).distinct()
    return sorted(((t, record_type_label(t)) for t in types), key=itemgetter(1))


def list_readers(actor: Actor, *, start: datetime, end: datetime) -> QuerySet[User]:
    """The people with entries in the period, to pick from."""
    require_audit(actor)
    ids = AccessLogEntry.objects.filter(at__gte=start, at__lt=end).order_by().values("user_id").distinct()
    return User.objects.filter(pk__in=ids).order_by("username")


@dataclass(frozen=True)
class Line:
    """An entry as the screen and the export show it."""

    entry: AccessLogEntry
    record_type: str

    @property
    def reader(self) -> str:
        user = self.entry.user
        return "" if user is None else user.get_full_name()


def describe(entries: Iterable[AccessLogEntry]) -> list[Line]:
    labels: dict[str, str] = {}
    lines = []
    for entry in entries:
        if entry.subject_type not in labels:
            labels[entry.subject_type] = record_type_label(entry.subject_type)
        lines.append(Line(entry, labels[entry.subject_type]))
    return lines


def export_header() -> list[str]:
    return [
        _("Sequence number"),
        _("When"),
        _("Reader"),
        _("Reader's name"),
        _("Record type"),
        _("Record type (code)"),
        _("Record"),
        _("Outcome"),
        _("Purpose"),
        _("Reason given"),
        _("Page or endpoint"),
        _("Client address"),
        _("Hash"),
    ]


def export_rows(actor: Actor, filters: AuditFilters) -> list[list[object]]:
    """Every matching entry (not a page), newest first, one row each as
    `export_header` names the columns; times in local time."""
    rows: list[list[object]] = []
    for line in describe(list_entries(actor, filters).iterator(chunk_size=2000)):
        entry = line.entry
        rows.append(
            [
                entry.seq,
                timezone.localtime(entry.at),
                entry.user.get_username() if entry.user else "",
                line.reader,
                line.record_type,
                entry.subject_type,
                entry.subject_id,
                entry.get_outcome_display(),
                entry.get_purpose_display(),
                entry.purpose_note,
                entry.source,
                entry.client_ip or "",
                entry.hash,
            ]
        )
    return rows


# --- alerts -----------------------------------------------------------------------

READS = "reads"


@dataclass(frozen=True)
class Burst:
    """Entries by one person close together: from the first to the last of a
    run of 60-minute windows each holding the alert's number or more.
    `count` is every entry from `start` to `end`; `peak` the most within one
    60-minute window."""

    start: datetime
    end: datetime
    count: int
    peak: int


@dataclass(frozen=True)
class Alert:
    kind: str  # READS or REFUSALS
    reader: User
    start: datetime
    end: datetime
    count: int
    peak: int

    @property
    def is_reads(self) -> bool:
        return self.kind == READS


def bursts(times: Sequence[datetime], at_least: int, window: timedelta = WINDOW) -> list[Burst]:
    """The runs in `times` (in order) where some `window` (start included,
    end excluded) holds `at_least` of them; overlapping windows make one run."""
    if at_least < 1 or len(times) < at_least:
        return []
    epoch = datetime(1970, 1, 1, tzinfo=UTC)
    micro = np.array([(t - epoch) // timedelta(microseconds=1) for t in times], dtype=np.int64)
    width = window // timedelta(microseconds=1)
    # The entries in the window opening at each entry: those before the first at or after its end.
    ends = np.searchsorted(micro, micro + width, side="left")
    counts = ends - np.arange(len(micro))
    found: list[Burst] = []
    first = last = peak = -1
    for i in np.flatnonzero(counts >= at_least).tolist():
        if first >= 0 and i <= last:
            last, peak = max(last, int(ends[i]) - 1), max(peak, int(counts[i]))
            continue
        if first >= 0:
            found.append(Burst(times[first], times[last], last - first + 1, peak))
        first, last, peak = i, int(ends[i]) - 1, int(counts[i])
    if first >= 0:
        found.append(Burst(times[first], times[last], last - first + 1, peak))
    return found


def _bursts_by_reader(entries: QuerySet[AccessLogEntry], at_least: int) -> list[tuple[int, Burst]]:
    """(user id, burst) for every reader's bursts among `entries`. Only readers
    with `at_least` entries in all can have one: their times alone are read."""
    busy = (
        entries.filter(user__isnull=False)
        .order_by()
        .values("user_id")
        .annotate(n=Count("pk"))
        .filter(n__gte=at_least)
        .values("user_id")
    )
    pairs = entries.filter(user_id__in=busy).order_by("user_id", "at", "seq").values_list("user_id", "at")
    found = []
    for user_id, rows in groupby(pairs.iterator(chunk_size=5000), key=itemgetter(0)):
        found += [(user_id, burst) for burst in bursts([at for _user, at in rows], at_least)]
    return found


def list_alerts(actor: Actor, *, start: datetime, end: datetime) -> list[Alert]:
    """Within [start, end): a person with more than ACCESS_ALERT_READS_PER_HOUR
    reads within 60 minutes, and one with ACCESS_ALERT_REFUSALS_PER_HOUR or more
    refused attempts (either kind) within 60 minutes; newest first."""
    require_audit(actor)
    period = AccessLogEntry.objects.filter(at__gte=start, at__lt=end)
    found = [
        (READS, user_id, burst)
        for user_id, burst in _bursts_by_reader(
            period.filter(outcome=Outcome.READ), settings.ACCESS_ALERT_READS_PER_HOUR + 1
        )
    ] + [
        (REFUSALS, user_id, burst)
        for user_id, burst in _bursts_by_reader(
            period.filter(outcome__in=REFUSED_OUTCOMES), settings.ACCESS_ALERT_REFUSALS_PER_HOUR
        )
    ]
    readers = User.objects.in_bulk({user_id for _kind, user_id, _burst in found})
    alerts = [
        Alert(kind, readers[user_id], burst.start, burst.end, burst.count, burst.peak)
        for kind, user_id, burst in found
    ]
    return sorted(alerts, key=lambda alert: alert.start, reverse=True)


def count_recent_alerts(actor: Actor, *, days: int = 7) -> int:
    """The alerts of the last `days` days (for the officer's link)."""
    end = timezone.now()
    return len(list_alerts(actor, start=end - timedelta(days=days), end=end))


# --- the chain --------------------------------------------------------------------


def get_last_check(actor: Actor) -> ChainCheck | None:
    require_audit(actor)
    return ChainCheck.objects.select_related("checked_by").first()


def get_anchor() -> tuple[int, str] | None:
    """The head the last intact check saw, which the next check must find
    unchanged; None before the first check (or while the log was empty)."""
    last = ChainCheck.objects.filter(intact=True, head_seq__gt=0).values_list("head_seq", "head_hash").first()
    return None if last is None else (last[0], last[1])
