"""Public pages: what a citizen sees, in their language, without signing in."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from cpis.core.htmx import template_for, vary_on_htmx
from cpis.core.views import public
from cpis.organisation import selectors as organisation

from .forms import LocateForm, PlaceSearchForm


@public
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/home.html", {"form": PlaceSearchForm()})


@public
def find_sector(request: HttpRequest) -> HttpResponse:
    """Find your sector team (2.4.7): type a place or click the map."""
    form = PlaceSearchForm(request.GET or None)
    places = organisation.search_places(form.cleaned_data["q"]) if form.is_valid() else []
    context = {"form": form, "places": places, "searched": form.is_bound}
    template = template_for(request, "portal/find_sector.html", "results")
    return vary_on_htmx(render(request, template, context))


@public
def locate_sector(request: HttpRequest) -> HttpResponse:
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
def sector_detail(request: HttpRequest, sector_id: int) -> HttpResponse:
    """The public page of one sector: its area, station and team."""
    sector = organisation.get_public_sector(sector_id)
    return render(
        request,
        "portal/sector_detail.html",
        {
            "sector": sector,
            "station": organisation.station_of(sector),
            "team": organisation.get_sector_team(sector, public=True),
        },
    )
