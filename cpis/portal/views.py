"""Public pages: what a citizen sees, in their language, without signing in."""

import math
import uuid
from collections.abc import Callable
from typing import Any, TypeVar

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps.views import sitemap as sitemap_view
from django.contrib.syndication.views import Feed
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import dateformat, formats, timezone
from django.utils.cache import patch_cache_control
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from cpis.complaints import selectors as complaint_selectors
from cpis.complaints import services as complaint_services
from cpis.complaints.forms import ComplaintForm
from cpis.concerns import selectors as concern_selectors
from cpis.concerns import services as concern_services
from cpis.concerns.forms import submission_fields
from cpis.core import pow, ratelimit, tracking
from cpis.core.errors import DomainError
from cpis.core.exports import attachment, to_csv
from cpis.core.forms import paginate, query_without_page
from cpis.core.htmx import template_for, vary_on_htmx
from cpis.core.http import client_ip, retry_later
from cpis.core.views import public
from cpis.forums.selectors import public as forum_selectors
from cpis.organisation import selectors as organisation
from cpis.organisation.access import ActorRequest
from cpis.problems.selectors import priorities as priority_selectors
from cpis.problems.selectors import summaries as summary_selectors
from cpis.surveys.selectors import public as survey_selectors

from . import selectors as place_selectors
from .forms import FollowUpForm, LocateForm, PlaceSearchForm, ReportForm, TrackForm

T = TypeVar("T")
F = TypeVar("F", bound=forms.Form)


@public
def home(request: ActorRequest) -> HttpResponse:
    return render(
        request, "portal/home.html", {"form": PlaceSearchForm(), "regions": place_selectors.list_regions()}
    )


@public
def find_sector(request: ActorRequest) -> HttpResponse:
    """Find your sector team (2.4.7): type a place or click the map."""
    form = PlaceSearchForm(request.GET or None)
    places = organisation.search_places(form.cleaned_data["q"]) if form.is_valid() else []
    context = {"form": form, "places": places, "searched": form.is_bound}
    template = template_for(request, "portal/find_sector.html", "results")
    return vary_on_htmx(render(request, template, context))


@public
def locate_sector(request: ActorRequest) -> HttpResponse:
    """The sector and team for a clicked point (an htmx fragment, or the
    whole page when opened directly)."""
    form = LocateForm(request.GET)
    context: dict[str, object] = {"form": PlaceSearchForm(), "located": True}
    status = 200
    if not form.is_valid():
        context["error"] = _("The point is not valid. Click inside Kosovo on the map.")
        status = 400
    else:
        sector = organisation.locate_sector(lat=form.cleaned_data["lat"], lon=form.cleaned_data["lon"])
        if sector is None:
            context["error"] = _("No sector covers this point. Click inside Kosovo on the map.")
        else:
            context["sector"] = sector
            context["station"] = organisation.station_of(sector)
            context["team"] = organisation.get_sector_team(sector, public=True)
    template = template_for(request, "portal/find_sector.html", "team")
    return vary_on_htmx(render(request, template, context, status=status))


@public
def sector_redirect(request: ActorRequest, sector_id: int) -> HttpResponse:
    """The sector page's first address (by number) moved to its place's: kept working."""
    return redirect(place_url(organisation.get_public_sector(sector_id)), permanent=True)


place_url = place_selectors.place_url


@public
def places(request: ActorRequest) -> HttpResponse:
    """Every region with its municipalities, by links: the way to any sector without searching."""
    tree = place_selectors.regions_and_municipalities()
    return render(request, "portal/places.html", {"node": tree})


@public
def place(request: ActorRequest, slug: str) -> HttpResponse:
    """A region, municipality (its station) or substation with the places under it;
    a sector's own page, the neighbourhood page, for a sector."""
    unit = place_selectors.get_place(slug)
    if unit.kind == "sector":
        return _neighbourhood(request, unit)
    context = {
        "place": unit,
        "name": place_selectors.place_name(unit),
        "ancestors": place_selectors.list_ancestors(unit),
        "node": place_selectors.place_tree(unit, depth=3),
        "station": organisation.station_of(unit),
    }
    return render(request, "portal/place.html", context)


NEIGHBOURHOOD_LIST_LIMIT = 5


def _neighbourhood(request: ActorRequest, sector: Any) -> HttpResponse:
    """The public page of one sector: its team, the priorities it agreed and what is
    done about them, upcoming forum meetings, solved problems, forum news, "you said,
    we did", and its crime and concern figures (the map reads them as JSON)."""
    station = organisation.station_of(sector)
    priorities = priority_selectors.list_public_priorities(sector)
    solved = list(summary_selectors.list_published(place=sector)[:SECTOR_SOLVED_LIMIT])
    forum_place = forum_selectors.public_place_of(sector, station)
    ancestors = place_selectors.list_ancestors(sector)
    return render(
        request,
        "portal/sector_detail.html",
        {
            "sector": sector,
            "station": station,
            "ancestors": ancestors,
            "team": organisation.get_sector_team(sector, public=True),
            "priorities": priorities,
            "solved": [(summary, summary_selectors.in_language(summary)) for summary in solved],
            "meetings": list(
                forum_selectors.list_upcoming_public_meetings(forum_place)[:NEIGHBOURHOOD_LIST_LIMIT]
            ),
            "releases": list(
                forum_selectors.list_public_press_releases(forum_place)[:NEIGHBOURHOOD_LIST_LIMIT]
            ),
            "survey": _you_said(sector, station, priorities, forum_place),
            "survey_open": survey_selectors.open_wave(sector),
            "figures": place_selectors.sector_figures(sector),
            "slug": place_selectors.place_slug(sector),
        },
    )


def _figures_sector(slug: str) -> Any:
    sector = place_selectors.get_place(slug)
    if sector.kind != "sector":
        raise Http404(_("Not found."))
    return sector


def _public_data(response: HttpResponse) -> HttpResponse:
    # Open data: any site may read it; a proxy may keep it for a quarter of an hour.
    response["Access-Control-Allow-Origin"] = "*"
    patch_cache_control(response, public=True, max_age=900)
    return response


@public
def figures_json(request: ActorRequest, slug: str) -> HttpResponse:
    """The sector's figures as JSON: monthly counts by public category and the map's
    anonymous 200 m cells (documented in the portal's README)."""
    sector = _figures_sector(slug)
    figures = place_selectors.sector_figures(sector, with_cells=True)

    def table(t: place_selectors.Table) -> dict[str, Any]:
        return {
            "categories": [
                {"code": s.code, "name": s.name, "counts": s.counts, "total": s.total} for s in t.series
            ],
            "totals": t.totals,
            "total": t.total,
        }

    station = organisation.station_of(sector)
    body = {
        "sector": {
            "id": sector.pk,
            "name": sector.name,
            "place": place_selectors.place_slug(sector),
            "url": request.build_absolute_uri(place_url(sector)),
            "station": station.name if station else None,
            "municipality": sector.municipality.name if sector.municipality_id else None,
        },
        "months": [m.strftime("%Y-%m") for m in figures.months],
        "start": figures.start.isoformat(),
        "end": figures.end.isoformat(),
        "cell_metres": place_selectors.CELL_METRES,
        "incidents": table(figures.incidents),
        "concerns": table(figures.concerns),
        "map": place_selectors.cell_features(figures.cells or []),
    }
    return _public_data(JsonResponse(body, json_dumps_params={"ensure_ascii": False}))


@public
def figures_csv(request: ActorRequest, slug: str) -> HttpResponse:
    """The sector's monthly counts by public category, one row per kind, category and month."""
    sector = _figures_sector(slug)
    figures = place_selectors.sector_figures(sector)
    rows = [
        [table.kind, series.code, series.name, month.strftime("%Y-%m"), count]
        for table in (figures.incidents, figures.concerns)
        for series in table.series
        for month, count in zip(figures.months, series.counts, strict=True)
    ]
    response = HttpResponse(
        to_csv(["kind", "category", "category_name", "month", "count"], rows),
        content_type="text/csv; charset=utf-8",
    )
    return _public_data(attachment(response, f"{sector.code}-figures.csv", inline=True))


@public
def map_csv(request: ActorRequest, slug: str) -> HttpResponse:
    """Where the sector's counted records were, as anonymous 200 m cell centres: one
    row per kind, category and cell with its count; never an exact point."""
    sector = _figures_sector(slug)
    figures = place_selectors.sector_figures(sector, with_cells=True)
    rows = [[c.kind, c.code, c.name, c.lat, c.lon, c.count] for c in figures.cells or []]
    response = HttpResponse(
        to_csv(["kind", "category", "category_name", "lat", "lon", "count"], rows),
        content_type="text/csv; charset=utf-8",
    )
    return _public_data(attachment(response, f"{sector.code}-map.csv", inline=True))


# --- for crawlers: the sitemap and robots.txt -----------------------------------------


class PagesSitemap(Sitemap):
    """The public pages that are not records."""

    changefreq = "weekly"

    def items(self) -> list[str]:
        return [
            "portal:home",
            "portal:places",
            "portal:find_sector",
            "portal:solved",
            "portal:report",
            "portal:track",
            "portal:complaints_info",
            "portal:complaint",
        ]

    def location(self, item: str) -> str:
        return reverse(item)


class PlacesSitemap(Sitemap):
    """Every region, municipality (station), substation and sector page."""

    changefreq = "daily"

    def items(self) -> Any:
        return place_selectors.list_public_places()

    def location(self, item: Any) -> str:
        return place_url(item)

    def lastmod(self, item: Any) -> Any:
        return item.updated_at


class SolvedSitemap(Sitemap):
    changefreq = "monthly"

    def items(self) -> Any:
        return summary_selectors.list_published().select_related(None).only("pk", "published_at")

    def location(self, item: Any) -> str:
        return reverse("portal:solved_problem", args=[item.pk])

    def lastmod(self, item: Any) -> Any:
        return item.published_at


class ForumSitemap(Sitemap):
    """The forums' public pages: each sector's, published minutes and press releases."""

    changefreq = "weekly"

    def items(self) -> list[tuple[str, int]]:
        sectors = [
            ("forums_public:sector", u.pk) for u in place_selectors.list_public_places() if u.kind == "sector"
        ]
        minutes = [("forums_public:minutes", m.pk) for m in forum_selectors.list_all_published_minutes()]
        news = [("forums_public:release", r.pk) for r in forum_selectors.list_all_public_press_releases()]
        return sectors + minutes + news

    def location(self, item: tuple[str, int]) -> str:
        return reverse(item[0], args=[item[1]])


SITEMAPS: dict[str, type[Sitemap[Any]] | Sitemap[Any]] = {
    "pages": PagesSitemap,
    "places": PlacesSitemap,
    "solved": SolvedSitemap,
    "forums": ForumSitemap,
}


@public
def sitemap(request: ActorRequest) -> HttpResponse:
    """sitemap.xml: every public page a crawler should know (Django's sitemaps)."""
    response = sitemap_view(request, sitemaps=SITEMAPS)
    patch_cache_control(response, public=True, max_age=3600)
    return response


# Staff pages, the API and the pages bound to a citizen's session are not for crawlers.
ROBOTS_DISALLOW = ("/staff/", "/accounts/", "/admin/", "/api/", "/track/", "/open311/")


@public
def robots(request: ActorRequest) -> HttpResponse:
    lines = ["User-agent: *", *(f"Disallow: {p}" for p in ROBOTS_DISALLOW)]
    lines.append(f"Sitemap: {request.build_absolute_uri(reverse('portal:sitemap'))}")
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


# --- you said, we did [Evaluation 4; 2.4] ------------------------------------------------

# What a headline figure says, in words citizens use; `share` is "7 in 10" or the like.
SURVEY_SENTENCES = {
    "safe_dark": gettext_lazy("%(share)s people say they feel safe walking alone in their area after dark."),
    "confidence": gettext_lazy("%(share)s people say they have confidence in the police in their area."),
    "rely": gettext_lazy(
        "%(share)s people say they can rely on the police in their area when they need them."
    ),
    "fair": gettext_lazy(
        "%(share)s people say the police in their area treat people fairly and with respect."
    ),
    "listen": gettext_lazy(
        "%(share)s people say the police in their area listen to and understand local concerns."
    ),
    "know_officer": gettext_lazy(
        "%(share)s people know the police officer who works in their neighbourhood."
    ),
    "forum_aware": gettext_lazy("%(share)s people have heard of the community safety forum in their area."),
}
SURVEY_LIMIT_DONE = 5


def _tenths(share: float) -> str:
    """A share as "7 in 10", never claiming none or all when it is not."""
    if share < 0.05:
        return _("fewer than 1 in 10")
    if share > 0.95:
        return _("more than 9 in 10")
    return _("%(count)s in 10") % {"count": round(10 * share)}


def _survey_line(figure: survey_selectors.Figure, previous: str) -> dict[str, str]:
    """One headline figure in plain words: the figure, its 95 % interval rounded
    outwards (so it never looks surer than it is) and the change since the
    previous survey when it is clear."""
    if figure.estimate is None or figure.ci_low is None or figure.ci_high is None:
        return {"item": figure.item, "sentence": "", "interval": "", "change": "", "trend": ""}
    if figure.is_share:
        sentence = SURVEY_SENTENCES.get(figure.item)
        share = _tenths(figure.estimate)
        text = (
            str(sentence) % {"share": share}
            if sentence
            else _("%(share)s people agree: “%(question)s”") % {"share": share, "question": figure.label}
        )
        interval = _("(between %(low)s and %(high)s in 10)") % {
            "low": math.floor(10 * figure.ci_low),
            "high": math.ceil(10 * figure.ci_high),
        }
    else:
        text = _(
            "On a scale from 0 to 10, people rate how safe their neighbourhood is at %(score)s on average."
        ) % {"score": formats.number_format(figure.estimate, 1)}
        interval = _("(between %(low)s and %(high)s)") % {
            "low": formats.number_format(figure.ci_low, 1),
            "high": formats.number_format(figure.ci_high, 1),
        }
    if figure.trend == "same":
        change = _(
            "About the same as in the previous survey (%(when)s): "
            "the difference is within the margin of error."
        )
    elif figure.trend:
        change = {
            ("up", True): _("More people say so than in the previous survey (%(when)s)."),
            ("down", True): _("Fewer people say so than in the previous survey (%(when)s)."),
            ("up", False): _("Higher than in the previous survey (%(when)s)."),
            ("down", False): _("Lower than in the previous survey (%(when)s)."),
        }[(figure.trend, figure.is_share)]
    else:
        change = ""
    return {
        "item": figure.item,
        "sentence": text,
        "interval": interval,
        "change": change % {"when": previous} if change else "",
        "trend": figure.trend,
    }


def _you_said(sector: Any, station: Any, priorities: list[Any], forum_place: Any) -> dict[str, Any] | None:
    """The sector's survey results in words (the station's, labelled as such, when
    the sector has too few answers) beside what the police did there since the
    survey began: solved problems, forum meetings with published minutes, priorities
    agreed. Aggregated and suppressed by the surveys app; no free text, no groups."""
    results = survey_selectors.sector_results(sector, station)
    if results is None:
        return None
    own = results.sector
    shown = own if not own.suppressed else results.station
    if shown is not None and shown.suppressed:
        shown = None
    previous = dateformat.format(shown.previous.ends_on, "F Y") if shown and shown.previous else ""
    since = own.wave.starts_on
    meetings = [
        m
        for m in forum_selectors.list_published_minutes(forum_place)
        if timezone.localtime(m.starts_at).date() >= since
    ]
    solved = list(
        summary_selectors.list_published(place=sector).filter(published_at__date__gte=since)[
            :SURVEY_LIMIT_DONE
        ]
    )
    return {
        "wave": own.wave,
        "sector_suppressed": own.suppressed,
        "shown": shown,
        "is_station": shown is not None and shown is not own,
        "lines": [_survey_line(f, previous) for f in shown.shown] if shown else [],
        "issues": [(issue.label, _tenths(issue.estimate or 0)) for issue in shown.issues] if shown else [],
        "since": since,
        "solved": [(summary, summary_selectors.in_language(summary)) for summary in solved],
        "meetings": meetings[:SURVEY_LIMIT_DONE],
        "priorities": [p for p in priorities if p.agreed_on >= since],
    }


# --- solved problems [3.2.5] -----------------------------------------------------------

SECTOR_SOLVED_LIMIT = 10
SOLVED_PAGE_SIZE = 20
FEED_LIMIT = 50


class SolvedFilterForm(forms.Form):
    place = forms.TypedChoiceField(label=_("Region or station"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args: Any, places: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["place"].choices = [("", _("All of Kosovo")), *((u.pk, u.name) for u in places)]  # type: ignore[attr-defined]


@public
def solved_list(request: ActorRequest) -> HttpResponse:
    """Problems the police and the community solved together, newest first,
    as the summaries a second person approved; of a region or station when chosen."""
    places = list(summary_selectors.list_public_places())
    place_id = request.GET.get("place", "")
    place = summary_selectors.get_public_place(int(place_id)) if place_id.isdecimal() else None
    if place is not None and place.pk not in {p.pk for p in places}:
        places.append(place)  # a sector's own list, opened from its page
    form = SolvedFilterForm(initial={"place": place.pk if place else None}, places=places)
    page = paginate(request, summary_selectors.list_published(place=place), SOLVED_PAGE_SIZE)
    context = {
        "form": form,
        "place": place,
        "page": page,
        "rows": [(summary, summary_selectors.in_language(summary)) for summary in page],
        "query_string": query_without_page(request.GET),
    }
    return render(request, "portal/solved_list.html", context)


@public
def solved_problem(request: ActorRequest, summary_id: int) -> HttpResponse:
    """One solved problem as citizens read it, in their language; no names."""
    summary = summary_selectors.get_published(summary_id)
    context = {"summary": summary, "text": summary_selectors.in_language(summary)}
    return render(request, "portal/solved_problem.html", context)


class SolvedFeed(Feed):
    """The published summaries as an Atom feed: the whole country, or one
    sector's (`sector_id`), in the reader's language."""

    feed_type = Atom1Feed

    def get_object(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        sector_id = kwargs.get("sector_id")
        return organisation.get_public_sector(sector_id) if sector_id is not None else None

    def title(self, sector: Any) -> str:
        if sector is None:
            return _("Problems solved with the community")
        return _("Problems solved with the community: sector %(name)s") % {"name": sector.name}

    def subtitle(self, sector: Any) -> str:
        return _("What the police and the community did about local problems, and what changed.")

    def link(self, sector: Any) -> str:
        return place_url(sector) if sector else reverse("portal:solved")

    def feed_url(self, sector: Any) -> str:
        if sector is None:
            return reverse("portal:solved_feed")
        return reverse("portal:sector_solved_feed", args=[sector.pk])

    def author_name(self) -> str:
        return _("Kosovo Police")

    def items(self, sector: Any) -> Any:
        return summary_selectors.list_published(place=sector)[:FEED_LIMIT]

    def item_title(self, item: Any) -> str:
        return summary_selectors.in_language(item).title

    def item_description(self, item: Any) -> str:
        return summary_selectors.in_language(item).body

    def item_link(self, item: Any) -> str:
        return reverse("portal:solved_problem", args=[item.pk])

    def item_pubdate(self, item: Any) -> Any:
        return item.published_at

    def item_updateddate(self, item: Any) -> Any:
        return item.published_at


solved_feed = public(SolvedFeed())


# --- report a concern, follow it -------------------------------------------------------

TRACKED_SESSION_KEY = "tracked_concerns"
TRACKED_COMPLAINTS_KEY = "tracked_complaints"


def _gate(request: ActorRequest, form: forms.Form, proof: str) -> int:
    """The checks every anonymous submission passes: the per-client limit
    (429) and, when the browser solved one, a valid unspent proof of work
    (400). Returns the refusal status with an error on the form, or 0."""
    if not ratelimit.hit(
        "submit", client_ip(request), limit=settings.SUBMISSION_LIMIT_PER_HOUR, window_seconds=3600
    ):
        form.add_error(None, _("Too many reports from your connection. Try again in an hour, or call 192."))
        return 429
    if proof and not pow.verify(proof):
        form.add_error(None, _("The security check failed. Reload the page and send the form again."))
        return 400
    return 0


def _submission_page(
    request: ActorRequest,
    form: forms.Form,
    template: str,
    save: Callable[[dict[str, Any]], T],
    *,
    status_of: Callable[[DomainError], int] = lambda exc: exc.status_code,
    context: dict[str, Any] | None = None,
) -> T | HttpResponse:
    """A citizen's submission from the portal: the form, the gate (rate limit,
    proof of work) and the service that records it under the page's one-time
    submission key. Returns what the service recorded, or the form page again
    with the reason (and the status `status_of` gives a broken rule)."""
    status, refused_by = 400, None
    if request.method == "POST" and form.is_valid():
        if refused := _gate(request, form, form.cleaned_data["pow"]):
            status = refused
        else:
            try:
                return save(form.cleaned_data)
            except DomainError as exc:
                form.add_error(None, str(exc))
                status, refused_by = status_of(exc), exc
    context = {**(context or {}), "form": form, "pow_challenge": pow.new_challenge()}
    response = render(request, template, context, status=status if request.method == "POST" else 200)
    return retry_later(response, refused_by) if refused_by and status == 409 else response


def _fresh(form_class: type[F]) -> F:
    """An empty form with its one-time submission key."""
    return form_class(initial={"submission_key": uuid.uuid4().hex, "language": get_language()})


def _report_status(exc: DomainError) -> int:
    # A report refused for any reason but a submission still in flight answers 400.
    return 409 if isinstance(exc, concern_services.SubmissionInProgress) else 400


@public
def report(request: ActorRequest) -> HttpResponse:
    """Report a concern: phone first, anonymous unless the citizen leaves a
    contact. The page carries a one-time submission key, so a double click
    or a retried POST gives the same tracking code, never a second concern."""
    form = ReportForm(request.POST, request.FILES) if request.method == "POST" else _fresh(ReportForm)
    submission = _submission_page(
        request,
        form,
        "portal/report.html",
        lambda data: concern_services.submit_concern(
            request.actor,
            **submission_fields(data),
            channel="web",
            idempotency_key=f"web:{data['submission_key']}",
            photo=data["photo"].read() if data["photo"] else None,
            text_language=get_language(),
            unverified=not data["pow"],
        ),
        status_of=_report_status,
    )
    if isinstance(submission, HttpResponse):
        return submission
    _remember(request, submission.concern.pk)
    return render(
        request, "portal/report_done.html", {"code": submission.tracking_code, "concern": submission.concern}
    )


def _remember(request: ActorRequest, record_id: int, *, key: str = TRACKED_SESSION_KEY) -> None:
    """This browser opened the record with its code (or just submitted it)."""
    tracked = [i for i in request.session.get(key, []) if i != record_id]
    request.session[key] = [record_id, *tracked][:10]


@public
def track(request: ActorRequest) -> HttpResponse:
    """Open a concern or a complaint with its tracking code. The code travels
    in the POST body only, never in a URL."""
    form = TrackForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            found = tracking.open_code(
                form.cleaned_data["code"],
                client=client_ip(request),
                loaders={
                    concern_services.TRACKING_NAMESPACE: concern_selectors.load_by_reference,
                    complaint_services.TRACKING_NAMESPACE: complaint_selectors.load_by_reference,
                },
            )
        except tracking.TrackingLimited:
            form.add_error(None, _("Too many attempts. Try again in an hour."))
            status = 429
        else:
            if found is not None:
                namespace, record = found
                if namespace == complaint_services.TRACKING_NAMESPACE:
                    _remember(request, record.pk, key=TRACKED_COMPLAINTS_KEY)
                    return redirect("portal:tracked_complaint", complaint_id=record.pk)
                _remember(request, record.pk)
                return redirect("portal:tracked", concern_id=record.pk)
            form.add_error("code", _("No concern matches this code. Check it and try again."))
            status = 404
    return render(request, "portal/track.html", {"form": form}, status=status)


@public
def tracked(request: ActorRequest, concern_id: int) -> HttpResponse:
    """The status, public history and replies of a concern this browser
    opened with its code; the citizen may add information anonymously."""
    if concern_id not in request.session.get(TRACKED_SESSION_KEY, []):
        return redirect("portal:track")
    concern = concern_selectors.get_tracked_concern(concern_id)
    form = FollowUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            concern_services.add_citizen_message(concern=concern, text=form.cleaned_data["text"])
        except DomainError as exc:
            form.add_error("text", str(exc))
        else:
            messages.success(request, _("Thank you. Your message has been added."))
            return redirect("portal:tracked", concern_id=concern.pk)
    status = concern_selectors.public_status(concern)
    # The code's holder may answer "is it resolved?" here too, e-mail or not.
    answer = concern_services.answer_token(concern) if status["asks_if_resolved"] else ""
    return render(request, "portal/tracked.html", {"status": status, "form": form, "answer_token": answer})


def _complaint_terms() -> dict[str, Any]:
    """What the strategy promises a complainant [2.3.5, 2.3.6]: the deadlines the
    complaint's clocks keep and the independent Police Inspectorate's contact."""
    return {
        "acknowledge_days": settings.COMPLAINT_ACKNOWLEDGE_DAYS,
        "decision_days": settings.COMPLAINT_DECISION_DAYS,
        "inspectorate": {**INSPECTORATE, **getattr(settings, "POLICE_INSPECTORATE", {})},
    }


# The Police Inspectorate of Kosovo (an executive agency of the Ministry of Internal
# Affairs, independent of the police): its website, and the phone and address of its
# complaints leaflet — to be confirmed with the Inspectorate before going live; a
# deployment corrects them with settings.POLICE_INSPECTORATE (same keys).
INSPECTORATE = {
    "website": "https://ipk.rks-gov.net",
    "phone": "+383 38 552 194",
    "address": "Rr. Lidhja e Pejës, Fushë Kosovë",
}


@public
def complaints_info(request: ActorRequest) -> HttpResponse:
    """How a complaint about the police is handled, in the citizen's language
    [2.3.5]: who sees it, the deadlines, the outcome, and the independent
    Police Inspectorate."""
    return render(request, "portal/complaints_info.html", _complaint_terms())


@public
def complaint(request: ActorRequest) -> HttpResponse:
    """Complain about police conduct: from the same front door, to
    professional standards only. A proof of work the browser solved must be
    valid; a complaint sent without one (no JavaScript) is recorded all the
    same and marked for professional standards (decision record 0008: nothing
    a citizen sends is refused for it), and the page says where else to complain."""
    form = ComplaintForm(request.POST) if request.method == "POST" else _fresh(ComplaintForm)
    submission = _submission_page(
        request,
        form,
        "portal/complaint.html",
        lambda data: complaint_services.submit_complaint(
            description=data["description"],
            language=data["language"],
            idempotency_key=f"complaint:{data['submission_key']}",
            incident_date=data["incident_date"],
            incident_place=data["incident_place"],
            officer_description=data["officer_description"],
            unit=data["unit"],
            name=data["name"],
            email=data["email"],
            phone=data["phone"],
            without_proof=not data["pow"],
        ),
        context=_complaint_terms(),
    )
    if isinstance(submission, HttpResponse):
        return submission
    _remember(request, submission.complaint.pk, key=TRACKED_COMPLAINTS_KEY)
    return render(request, "portal/complaint_done.html", {"code": submission.tracking_code})


@public
def tracked_complaint(request: ActorRequest, complaint_id: int) -> HttpResponse:
    if complaint_id not in request.session.get(TRACKED_COMPLAINTS_KEY, []):
        return redirect("portal:track")
    record = complaint_selectors.load_by_id(complaint_id)
    return render(request, "portal/tracked_complaint.html", {"complaint": record})
