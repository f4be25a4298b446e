"""Solved problems [3.2.5]: the list, one problem, and the Atom feeds."""

from typing import Any, TypeVar

from django import forms
from django.contrib.syndication.views import Feed
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from cpis.core.forms import paginate, query_without_page
from cpis.core.views import public
from cpis.organisation import selectors as organisation
from cpis.organisation.access import ActorRequest
from cpis.problems.selectors import summaries as summary_selectors

from .. import selectors as place_selectors

T = TypeVar("T")
F = TypeVar("F", bound=forms.Form)


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
        return place_selectors.place_url(sector) if sector else reverse("portal:solved")

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
