"""Public place pages: the home page, finding a sector, the pages of every region,
municipality and sector (the neighbourhood page, police.uk-shaped) and their figures
as JSON and CSV; "you said, we did" on the sector's page."""

import math
from typing import Any, TypeVar

from django import forms
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import dateformat, formats, timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cpis.core.exports import attachment, to_csv
from cpis.core.htmx import template_for, vary_on_htmx
from cpis.core.views import public
from cpis.forums.selectors import public as forum_selectors
from cpis.organisation import selectors as organisation
from cpis.organisation.access import ActorRequest
from cpis.problems.selectors import priorities as priority_selectors
from cpis.problems.selectors import summaries as summary_selectors
from cpis.surveys.selectors import public as survey_selectors

from .. import selectors as place_selectors
from ..forms import LocateForm, PlaceSearchForm

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
# Solved problems shown on a sector's page; the whole list is the portal's "Solved problems".
SECTOR_SOLVED_LIMIT = 10


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
