"""Reads for alerts: what is news for which sectors (from the forums' and
problems' public records and the concerns' approved public summaries, never
anything else), a subscription from the
token in its link, and what an area's Atom feed lists.

An event belongs to a place (`place_path`): a forum's sector or station, a
priority's sector, a problem's sector or station. It concerns a sector when
the place is the sector, lies inside it, or is a place above it up to its
station — the rule of the public sector page's forums. A circle follows the
sectors it touches."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.core import signing
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from cpis.concerns import selectors as concern_selectors
from cpis.concerns.models import Concern
from cpis.forums.models import ForumStatus, Meeting, MeetingStatus
from cpis.forums.selectors import public as forum_public
from cpis.organisation.models import Unit
from cpis.problems.models import PriorityStatus, PublicSummary, SectorPriority
from cpis.problems.selectors import priorities as priority_selectors
from cpis.problems.selectors import summaries as summary_selectors

from .models import Status, Subscription, Topic

MANAGE_SALT, CONFIRM_SALT = "cpis.alerts.manage", "cpis.alerts.confirm"
STATION_DEPTH = 3  # directorate/region/station/
FEED_LIMIT = 50


# --- places ---------------------------------------------------------------------------


def _depth(path: str) -> int:
    return len(path.strip("/").split("/"))


def serving_paths(sector_path: str) -> list[str]:
    """The places whose events concern a sector: the sector and the places
    above it up to its station."""
    parts = sector_path.strip("/").split("/")
    return ["/".join(parts[:i]) + "/" for i in range(STATION_DEPTH, len(parts) + 1)]


def sectors_concerned(place_path: str) -> list[int]:
    """The sectors an event at `place_path` concerns."""
    parts = place_path.strip("/").split("/")
    ancestors = ["/".join(parts[:i]) + "/" for i in range(1, len(parts) + 1)]
    within = Q(path__startswith=place_path) if _depth(place_path) >= STATION_DEPTH else Q(pk__in=[])
    return list(
        Unit.objects.sectors()
        .filter(within | Q(path__in=ancestors))
        .order_by("pk")
        .values_list("pk", flat=True)
    )


MAX_ID = 2**31 - 1


def get_sector(sector_id: int) -> Unit | None:
    """A sector by its id, or None (for any number, however large)."""
    if not 0 < sector_id <= MAX_ID:
        return None
    return Unit.objects.sectors().select_related("parent").filter(pk=sector_id).first()


def list_sectors(ids: Iterable[int]) -> list[Unit]:
    return list(Unit.objects.sectors().filter(pk__in=list(ids)).order_by("path"))


# --- news -----------------------------------------------------------------------------


@dataclass(frozen=True)
class News:
    """Something new at a place, as the alerts and the feeds tell it."""

    topic: str
    key: str
    place_path: str
    happened_at: datetime
    record: Any

    def link(self) -> str:
        """The public page of it, a path on this site."""
        if self.topic == Topic.MEETINGS:
            sector = forum_public.public_sector_of(self.record.forum)
            return reverse("forums_public:sector", args=[sector.pk]) if sector else reverse("portal:home")
        if self.topic == Topic.PRIORITIES:
            return reverse("portal:sector", args=[self.record.unit_id])
        if self.topic == Topic.REPORTS:
            return f"{reverse('concerns_public:reports')}?sector={self.record.sector_id}"
        return reverse("portal:solved_problem", args=[self.record.pk])

    def title(self) -> str:
        """A one-line title in the active language."""
        if self.topic == Topic.MEETINGS:
            meeting = self.record
            return _("Forum meeting on %(day)s: %(forum)s") % {
                "day": date_format(timezone.localtime(meeting.starts_at), "DATE_FORMAT"),
                "forum": meeting.forum.name,
            }
        if self.topic == Topic.PRIORITIES:
            return _("New priority agreed: %(issue)s") % {
                "issue": priority_selectors.public_issue(self.record)
            }
        if self.topic == Topic.REPORTS:
            return _("New report: %(category)s") % {"category": self.record.category.name}
        text = summary_selectors.in_language(self.record, translation.get_language())
        return _("Problem solved: %(title)s") % {"title": text.title}

    def text(self) -> str:
        """What it says, in the active language."""
        if self.topic == Topic.MEETINGS:
            meeting = self.record
            lines = [
                _("When: %(time)s")
                % {"time": date_format(timezone.localtime(meeting.starts_at), "DATETIME_FORMAT")},
                _("Where: %(place)s") % {"place": meeting.place},
                _("The meeting is open to the public. Come and tell the forum what worries you."),
            ]
            if meeting.agenda:
                lines.insert(2, _("Agenda: %(agenda)s") % {"agenda": meeting.agenda})
            return "\n".join(lines)
        if self.topic == Topic.PRIORITIES:
            priority = self.record
            if priority.what_is_done:
                return _("What is being done: %(text)s") % {"text": priority.what_is_done}
            return _("The sector agreed this priority on %(day)s.") % {
                "day": date_format(priority.agreed_on, "DATE_FORMAT")
            }
        if self.topic == Topic.REPORTS:
            # The summary an officer approved: never the reporter's own words.
            return "\n".join(
                [
                    self.record.public_summary,
                    _("Status: %(status)s") % {"status": self.record.get_status_display()},
                ]
            )
        return summary_selectors.in_language(self.record, translation.get_language()).body


def _meetings() -> QuerySet[Meeting]:
    return (
        Meeting.objects.filter(status=MeetingStatus.PLANNED, is_public=True)
        .exclude(forum__status=ForumStatus.DISSOLVED)
        .select_related("forum", "forum__unit")
    )


def _priorities() -> QuerySet[SectorPriority]:
    return SectorPriority.objects.filter(status=PriorityStatus.AGREED, agreed_on__isnull=False)


def _summaries() -> QuerySet[PublicSummary]:
    return summary_selectors.published().select_related("problem", "problem__unit")


def _reports() -> QuerySet[Concern]:
    return concern_selectors.public_concerns().filter(sector__isnull=False).select_related("category")


def _meeting_news(meeting: Meeting) -> News:
    return News(Topic.MEETINGS, f"meeting:{meeting.pk}", meeting.forum.unit_path, meeting.updated_at, meeting)


def _priority_news(priority: SectorPriority) -> News:
    return News(
        Topic.PRIORITIES, f"priority:{priority.pk}", priority.unit_path, priority.updated_at, priority
    )


def _summary_news(summary: PublicSummary) -> News:
    published_at = summary.published_at or summary.updated_at  # published() has it set
    return News(Topic.SOLVED, f"summary:{summary.pk}", summary.problem.unit_path, published_at, summary)


def _report_news(concern: Concern) -> News:
    approved_at = concern.public_summary_approved_at or concern.updated_at  # public() has it set
    return News(Topic.REPORTS, f"report:{concern.pk}", concern.unit_path, approved_at, concern)


def list_news_since(topic: str, since: datetime, *, now: datetime | None = None) -> list[News]:
    """What became news in one topic since `since`: public meetings planned
    or changed (still to come), priorities agreed, summaries published,
    concerns made public (their summary approved)."""
    now = now or timezone.now()
    if topic == Topic.MEETINGS:
        meetings = _meetings().filter(updated_at__gt=since, starts_at__gt=now).order_by("updated_at", "pk")
        return [_meeting_news(m) for m in meetings]
    if topic == Topic.PRIORITIES:
        return [
            _priority_news(p) for p in _priorities().filter(updated_at__gt=since).order_by("updated_at", "pk")
        ]
    if topic == Topic.REPORTS:
        reports = _reports().filter(public_summary_approved_at__gt=since)
        return [_report_news(c) for c in reports.order_by("public_summary_approved_at", "pk")]
    summaries = _summaries().filter(published_at__gt=since).order_by("published_at", "pk")
    return [_summary_news(s) for s in summaries]


def list_area_news(sectors: Sequence[Unit], *, topics: Iterable[str] = Topic.values) -> list[News]:
    """What an area's feed lists: upcoming public meetings of the forums
    that serve its sectors, their agreed priorities and the published
    summaries of problems there, newest first."""
    topics = set(topics)
    if not sectors:
        return []
    paths = sorted({path for sector in sectors for path in serving_paths(sector.path)})
    below = Q()
    for sector in sectors:
        below |= Q(problem__unit_path__startswith=sector.path)
    news: list[News] = []
    if Topic.MEETINGS in topics:
        upcoming = _meetings().filter(
            forum__unit_path__in=paths, starts_at__gte=timezone.now() - timedelta(hours=4)
        )
        news += [_meeting_news(m) for m in upcoming.order_by("-updated_at")[:FEED_LIMIT]]
    if Topic.PRIORITIES in topics:
        agreed = _priorities().filter(unit__in=list(sectors)).order_by("-updated_at")[:FEED_LIMIT]
        news += [_priority_news(p) for p in agreed]
    if Topic.SOLVED in topics:
        solved = _summaries().filter(Q(problem__unit_path__in=paths) | below).order_by("-published_at")
        news += [_summary_news(s) for s in solved[:FEED_LIMIT]]
    if Topic.REPORTS in topics:
        reports = _reports().filter(sector__in=list(sectors)).order_by("-public_summary_approved_at")
        news += [_report_news(c) for c in reports[:FEED_LIMIT]]
    return sorted(news, key=lambda item: item.happened_at, reverse=True)[:FEED_LIMIT]


# --- subscriptions --------------------------------------------------------------------


def manage_signer() -> signing.Signer:
    return signing.Signer(salt=MANAGE_SALT)


def manage_token(secret: str) -> str:
    return manage_signer().sign(secret)


def confirm_token(secret: str) -> str:
    return signing.TimestampSigner(salt=CONFIRM_SALT).sign(secret)


def _by_secret(secret: str) -> Subscription | None:
    return Subscription.objects.select_related("sector").filter(secret=secret).first()


def manage_secret(token: str) -> str | None:
    """The secret a manage or unsubscribe link carries, if its signature holds."""
    try:
        return signing.Signer(salt=MANAGE_SALT).unsign(token)
    except signing.BadSignature:
        return None


def get_by_manage_token(token: str) -> Subscription | None:
    """The confirmed subscription a manage or unsubscribe link names; None for
    a bad link, or one whose subscription ended."""
    secret = manage_secret(token)
    subscription = _by_secret(secret) if secret else None
    return subscription if subscription and subscription.status == Status.CONFIRMED else None


def get_by_confirm_token(token: str, *, max_age: timedelta) -> Subscription | None:
    """The subscription a confirmation link names, while the link is fresh;
    None for a bad, expired or superseded link or an unsubscribed row."""
    try:
        secret = signing.TimestampSigner(salt=CONFIRM_SALT).unsign(token, max_age=max_age)
    except signing.BadSignature:  # SignatureExpired is one
        return None
    subscription = _by_secret(secret)
    if subscription is None or subscription.status == Status.UNSUBSCRIBED:
        return None
    return subscription


def describe_area(subscription: Subscription) -> str:
    """The area in words, in the active language."""
    if subscription.sector is not None:
        return _("sector %(name)s") % {"name": subscription.sector.name}
    return _("within %(radius)s m of the point %(lat).5f, %(lon).5f") % {
        "radius": subscription.radius_m,
        "lat": subscription.lat,
        "lon": subscription.lon,
    }


def list_subscription_sectors(subscription: Subscription) -> list[Unit]:
    return list(Unit.objects.filter(pk__in=subscription.areas.values("sector_id")).order_by("path"))
