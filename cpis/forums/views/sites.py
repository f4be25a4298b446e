"""Locations identified as needing a new LPSC [2.4.1]: the list with a form
to record one, and changing a site's status."""

from typing import Any

from django.contrib import messages
from django.core.paginator import Page
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cpis.core.forms import form_status, paginate, save_on_post
from cpis.core.views import flash_step
from cpis.organisation.access import Actor, ActorRequest, staff_required

from .. import selectors, services
from ..forms import SiteFilterForm, SiteForm, SiteStatusForm
from ..models import ProposedSite, SiteStatus
from ..policy import policy
from .common import place_filter, under


def _rows(actor: Actor, page: Page[ProposedSite]) -> list[dict[str, Any]]:
    """Each site of the page, whether the actor may change it, and the forums it may become."""
    manage_paths = policy.places(actor, "manage")
    manageable = [site for site in page if actor.is_system or under(site.unit_path, manage_paths)]
    forums = selectors.list_site_forums(actor, manageable)
    return [
        {"site": site, "may_manage": site in manageable, "forums": forums.get(site.pk, [])} for site in page
    ]


def _identify(actor: Actor, data: dict[str, Any]) -> ProposedSite:
    return services.identify_site(
        actor, unit=data["unit"], description=data["description"], identified_on=data["identified_on"]
    )


@staff_required
def site_list(request: ActorRequest) -> HttpResponse:
    """Locations identified as needing a new LPSC [2.4.1], and a form to add one."""
    actor = request.actor
    chosen = place_filter(request, SiteFilterForm)
    may_add = policy.anywhere(actor, "manage")
    form = SiteForm(request.POST or None, places=selectors.list_forum_places(actor)) if may_add else None
    if form is None:
        if request.method == "POST":
            policy.require_anywhere(actor, "manage")
    elif save_on_post(request, form, lambda d: _identify(actor, d), success=_("The site has been recorded.")):
        return redirect("forums:sites")
    sites = selectors.list_sites(actor, unit_path=chosen.unit_path, status=chosen.data.get("show", ""))
    page = paginate(request, sites)
    context = {
        "filters": chosen.form,
        "form": form,
        "page": page,
        "rows": _rows(actor, page),
        "place": chosen.place,
        "statuses": SiteStatus.choices,
        **chosen.links(request),
    }
    return render(request, "forums/site_list.html", context, status=form_status(request))


@staff_required
@require_POST
def site_status(request: ActorRequest, site_id: int) -> HttpResponse:
    actor = request.actor
    site = selectors.get_site(actor, site_id)
    form = SiteStatusForm(request.POST, forums=selectors.list_manageable_forums(actor))
    if not form.is_valid():
        policy.require(actor, "manage", site.unit_path)
        messages.error(request, _("Choose a status, and the forum for an established LPSC."))
    else:
        data = form.cleaned_data
        flash_step(
            request,
            lambda: services.change_site_status(
                actor, site=site, status=data["status"], forum=data["forum"], note=data["note"]
            ),
            success=_("The site's status has been changed."),
        )
    return redirect("forums:sites")
