"""Staff pages for incidents: the list of my places with filters, the
taxonomy, and imports (upload, follow the run, download its rejects)."""

from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from cpis.core.forms import form_page, paginate, query_without_page
from cpis.core.htmx import template_for, vary_on_htmx
from cpis.core.views import stored_file
from cpis.organisation.access import Actor, ActorRequest, staff_required

from . import selectors, tasks
from .forms import FilterForm, ImportForm
from .policy import policy


def _require_import(actor: Actor) -> None:
    """Those who see incidents but may not import get 403; the rest 404."""
    if not selectors.can_import(actor):
        policy.require_anywhere(actor, "view")
        raise PermissionDenied(_("Only the directorate imports incidents."))


@staff_required
def incident_list(request: ActorRequest) -> HttpResponse:
    """The incidents of my places, latest first, filtered."""
    actor = request.actor
    policy.require_anywhere(actor, "view")
    units = list(selectors.list_filter_units(actor))
    form = FilterForm(request.GET or None, categories=selectors.list_categories(), units=units)
    data = form.cleaned_data if form.is_valid() else {}
    unit_id = data.get("unit")
    filters = selectors.Filters(
        category=data.get("category", ""),
        start=data.get("since"),
        end=data.get("until"),
        unit=next((u for u in units if u.pk == unit_id), None),
    )
    context = {
        "form": form,
        "page": paginate(request, selectors.list_incidents(actor, filters)),
        "query_string": query_without_page(request.GET),
        "can_import": selectors.can_import(actor),
    }
    return vary_on_htmx(render(request, template_for(request, "incidents/list.html", "rows"), context))


@staff_required
def category_list(request: ActorRequest) -> HttpResponse:
    """The national taxonomy and the labels each category answers to."""
    actor = request.actor
    policy.require_anywhere(actor, "view")
    context = {"categories": selectors.list_categories(), "can_import": selectors.can_import(actor)}
    return render(request, "incidents/categories.html", context)


@staff_required
def import_file(request: ActorRequest) -> HttpResponse:
    """Upload a file to import in the background, and the recent imports."""
    actor = request.actor
    _require_import(actor)
    form = ImportForm(request.POST or None, request.FILES or None)
    return form_page(
        request,
        form,
        lambda data: tasks.queue_import(
            actor,
            upload=data["file"],
            source=data["source"] or None,
            fmt=data["format"] or None,
            mapping=form.mapping(),
            date_format=data["date_format"] or None,
            preset=data["preset"] or None,
        ),
        success=None,
        then=lambda run: reverse("incidents:run", args=[run.pk]),
        template="incidents/import.html",
        context={"runs": selectors.list_runs(actor), "can_import": True},
    )


@staff_required
def run_detail(request: ActorRequest, run_id: int) -> HttpResponse:
    """An import's progress and counts; the page asks again every second
    while the import waits or runs (htmx), and offers the rejected rows."""
    run = selectors.get_run(request.actor, run_id)
    context = {"run": run, "can_import": True}
    return vary_on_htmx(render(request, template_for(request, "incidents/run.html", "status"), context))


@staff_required
def rejects_file(request: ActorRequest, run_id: int) -> FileResponse:
    """The rejected rows of an import, each with its reason, as CSV."""
    run = selectors.get_run(request.actor, run_id)
    return stored_file(
        run.rejects_file,
        filename=f"rejected-{run.pk}-{run.source}.csv",
        content_type="text/csv; charset=utf-8",
    )
