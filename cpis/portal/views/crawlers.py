"""For crawlers: the sitemap and robots.txt."""

from typing import Any, TypeVar

from django import forms
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps.views import sitemap as sitemap_view
from django.http import HttpResponse
from django.urls import reverse
from django.utils.cache import patch_cache_control

from cpis.core.views import public
from cpis.forums.selectors import public as forum_selectors
from cpis.organisation.access import ActorRequest
from cpis.problems.selectors import summaries as summary_selectors

from .. import selectors as place_selectors

T = TypeVar("T")
F = TypeVar("F", bound=forms.Form)


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
        return place_selectors.place_url(item)

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
