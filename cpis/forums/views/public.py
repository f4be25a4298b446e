"""The citizens' side of the forums (no sign-in): a sector's forums with
their public meetings, minutes and news, the meetings as a calendar feed,
published minutes and press releases. Never members' contacts."""

from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cpis.core.exports import attachment
from cpis.core.views import public
from cpis.organisation.access import ActorRequest

from .. import ical, selectors


def _calendar_host() -> str:
    return urlsplit(settings.SITE_URL).hostname or "cpis"


@public
def public_sector(request: ActorRequest, sector_id: int) -> HttpResponse:
    """The forums serving a sector (its own and its station's): upcoming
    public meetings, published minutes and forum news. Never members' contacts."""
    place = selectors.get_public_sector(sector_id)
    context = {
        "sector": place.sector,
        "station": place.station,
        "forums": selectors.list_public_forums(place),
        "meetings": selectors.list_upcoming_public_meetings(place),
        "minutes": selectors.list_published_minutes(place),
        "releases": selectors.list_public_press_releases(place),
        "feed_url": request.build_absolute_uri(reverse("forums_public:calendar", args=[sector_id])),
    }
    return render(request, "forums/public/sector.html", context)


@public
def public_calendar(request: ActorRequest, sector_id: int) -> HttpResponse:
    """The sector's upcoming public forum meetings as an iCalendar feed (RFC 5545)."""
    place = selectors.get_public_sector(sector_id)
    page = f"{settings.SITE_URL}{reverse('forums_public:sector', args=[sector_id])}"
    host = _calendar_host()
    events = [
        ical.Event(
            uid=f"forum-meeting-{m.pk}@{host}",
            starts_at=m.starts_at,
            ends_at=ical.meeting_end(m.starts_at, m.duration_minutes),
            summary=_("%(forum)s: %(kind)s") % {"forum": m.forum.name, "kind": m.get_kind_display()},
            location=m.place,
            description=m.agenda,
            url=page,
            last_modified=m.updated_at,
        )
        for m in selectors.list_upcoming_public_meetings(place)
    ]
    name = _("Community safety forums: %(sector)s") % {"sector": place.sector.name}
    body = ical.calendar(events, name=name, stamp=timezone.now())
    response = HttpResponse(body.encode("utf-8"), content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "public, max-age=900"
    return attachment(response, f"forum-meetings-{sector_id}.ics", inline=True)


def _forum_page(request: ActorRequest, template: str, forum: Any, **context: Any) -> HttpResponse:
    """A citizens' page of one of a forum's records, with the forum and the
    sector it serves (for the way back)."""
    context |= {"forum": forum, "sector": selectors.public_sector_of(forum)}
    return render(request, template, context)


@public
def public_minutes(request: ActorRequest, meeting_id: int) -> HttpResponse:
    meeting = selectors.get_published_minutes(meeting_id)
    decisions = selectors.list_public_decisions(meeting)
    return _forum_page(
        request, "forums/public/minutes.html", meeting.forum, meeting=meeting, decisions=decisions
    )


@public
def public_release(request: ActorRequest, release_id: int) -> HttpResponse:
    release = selectors.get_published_press_release(release_id)
    return _forum_page(request, "forums/public/release.html", release.forum, release=release)
