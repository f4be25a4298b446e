"""Proposed LPSC sites [2.4.1]: the list, a site, and the forums of its area."""

from django.db.models import Q, QuerySet

from cpis.core.http import one_or_404
from cpis.organisation.access import Actor
from cpis.organisation.models import UnitKind

from ..models import Forum, ProposedSite, SiteStatus
from ..policy import policy


def visible_sites(actor: Actor) -> QuerySet[ProposedSite]:
    return ProposedSite.objects.filter(policy.scope(actor, "view", "unit_path"))


def list_sites(actor: Actor, *, unit_path: str = "", status: str = "") -> QuerySet[ProposedSite]:
    sites = visible_sites(actor)
    if unit_path:
        sites = sites.filter(unit_path__startswith=unit_path)
    if status:
        sites = sites.filter(status=status)
    return sites.select_related("unit", "unit__parent", "forum").order_by("-identified_on", "-id")


def list_forum_sites(forum: Forum) -> QuerySet[ProposedSite]:
    """Sites that led to this forum, and open sites at its place."""
    return (
        ProposedSite.objects.filter(
            Q(forum=forum)
            | Q(
                unit_path__startswith=forum.unit_path,
                status__in=[SiteStatus.IDENTIFIED, SiteStatus.IN_PREPARATION],
            )
        )
        .select_related("unit")
        .order_by("-identified_on")
    )


def site_area(site: ProposedSite) -> str:
    """Where a site's LPSC may be: the site's station or substation area."""
    if site.unit.kind == UnitKind.SECTOR and site.unit.parent_id is not None:
        return site.unit_path.rstrip("/").rsplit("/", 1)[0] + "/"
    return site.unit_path


def list_site_forums(actor: Actor, sites: list[ProposedSite]) -> dict[int, list[Forum]]:
    """For each site, the forums of its area the actor may name as the one
    established there (one query for the whole page)."""
    if not sites:
        return {}
    areas = {site.pk: site_area(site) for site in sites}
    query = Q()
    for area in set(areas.values()):
        query |= Q(unit_path__startswith=area)
    forums = list(
        Forum.objects.filter(policy.scope(actor, "manage", "unit_path"))
        .filter(query)
        .only("pk", "name", "unit_path")
        .order_by("name")
    )
    return {pk: [f for f in forums if f.unit_path.startswith(area)] for pk, area in areas.items()}


def get_site(actor: Actor, site_id: int) -> ProposedSite:
    return one_or_404(visible_sites(actor).select_related("unit", "forum"), pk=site_id)
