"""Scanning's pages: open a problem from what the system found (an emerging
cluster, concerns picked in the queue, a hotspot cell, a near-repeat run, a
forum meeting's decision or a tension report) on one pre-filled form, find
the problem a record was opened as, and a problem's Scanning tab: its
sources and the concerns and incidents offered to link."""

from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cpis.core.forms import form_page
from cpis.core.http import whole_number
from cpis.core.views import flash_step
from cpis.organisation.access import ActorRequest, staff_required

from ..forms.scanning import OpenFromForm
from ..selectors import origins, problems, sources
from ..services import scanning


def _sources_url(problem_id: int) -> str:
    return reverse("problems:sources", args=[problem_id])


@staff_required
def open_from(request: ActorRequest) -> HttpResponse:
    """The form to open a problem from the record the address names
    (`?from=cluster&id=…`), filled in from it; it posts to its own address."""
    actor = request.actor
    origin = origins.get_origin(actor, request.GET)
    form = OpenFromForm(request.POST or None, actor=actor, origin=origin)
    return form_page(
        request,
        form,
        lambda data: scanning.open_from(actor, origin=origin, **form.service_input()),
        success=_("The problem has been opened."),
        then=lambda problem: _sources_url(problem.pk),
        template="problems/open_from.html",
        context={"origin": origin},
    )


def _ids(values: list[str]) -> list[int]:
    return [n for n in map(whole_number, values[: origins.MOST_PICKED]) if n is not None]


@staff_required
@require_POST
def open_from_concerns(request: ActorRequest) -> HttpResponse:
    """The queue's "open a problem from the selected": on to the open form with the ticked concerns."""
    ids = _ids(request.POST.getlist("concerns"))
    if ids:
        query = urlencode([("from", "concern"), *(("id", n) for n in ids)])
        return redirect(f"{reverse('problems:open_from')}?{query}")
    messages.error(request, _("Select at least one concern."))
    back = request.POST.get("next", "")
    if back and url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(back)
    return redirect("concerns:queue")


@staff_required
def found_problem(request: ActorRequest, kind: str, record_id: int) -> HttpResponse:
    """The problem a record was linked to (the newest of the actor's places);
    the form to open one from it when there is none."""
    problem = origins.find_problem(request.actor, kind, record_id)
    if problem is not None:
        return redirect(_sources_url(problem.pk))
    return redirect(f"{reverse('problems:open_from')}?{urlencode({'from': kind, 'id': record_id})}")


@staff_required
def sources_tab(request: ActorRequest, problem_id: int) -> HttpResponse:
    """The Scanning tab: the problem's sources and, for those who work it, the
    concerns and incidents offered to link; a POST links those ticked."""
    actor = request.actor
    problem = problems.get_problem(actor, problem_id)
    if request.method == "POST":
        flash_step(
            request,
            lambda: scanning.link_offers(
                actor,
                problem=problem,
                concern_ids=_ids(request.POST.getlist("concerns")),
                incident_ids=_ids(request.POST.getlist("incidents")),
            ),
            success=_("The ticked records have been linked to the problem."),
        )
        return redirect(_sources_url(problem.pk))
    can_work = problems.can_work(actor, problem)
    context = {
        "problem": problem,
        "tab": "sources",
        "can_work": can_work,
        "sources": sources.list_sources(problem),
        "offers": sources.list_offers(actor, problem) if can_work and problem.is_open else None,
        "offer_limit": sources.OFFER_LIMIT,
        "offer_days": sources.OFFER_DAYS,
    }
    return render(request, "problems/sources.html", context)
