"""Staff pages of the people app: the officers whose record the reader may open, an
officer's record with its period, the representation at a place, and the personnel
department's pages for officers' backgrounds and the population's composition."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from cpis.core.errors import DomainError
from cpis.core.forms import form_status, paginate, query_without_page, submit
from cpis.organisation.access import ActorRequest, staff_required

from . import record, selectors, services
from .forms import BackgroundForm, OfficerSearchForm, PeriodForm, PopulationShareForm, RepresentationForm
from .policy import policy


@staff_required
def home(request: ActorRequest) -> HttpResponse:
    """The officers whose record the reader may open (their own among them)."""
    actor = request.actor
    form = OfficerSearchForm(request.GET or None)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    officers = selectors.list_record_officers(actor, query=query)
    own = selectors.own_officer(actor)
    context = {
        "form": form,
        "page": paginate(request, officers),
        "query_string": query_without_page(request.GET),
        "own": own,
        "can_compare": policy.anywhere(actor, "view_representation"),
        "is_personnel": policy.anywhere(actor, "manage_population"),
    }
    return render(request, "people/home.html", context)


@staff_required
def officer_record(request: ActorRequest, officer_id: int) -> HttpResponse:
    """An officer's community-policing record for a period; every view is logged."""
    actor = request.actor
    form = PeriodForm(request.GET or None)
    officer = selectors.get_record_officer(actor, officer_id)
    if request.GET and not form.is_valid():
        return render(
            request, "people/record.html", {"form": form, "officer": officer, "record": None}, status=400
        )
    start, end = (form.cleaned_data["start"], form.cleaned_data["end"]) if request.GET else (None, None)
    if start is None or end is None:
        today = timezone.localdate()
        start, end = today.replace(month=1, day=1), today
    try:
        found = record.officer_record(actor, officer, start=start, end=end, request=request)
    except DomainError as exc:
        form.add_error(None, str(exc))
        return render(
            request, "people/record.html", {"form": form, "officer": officer, "record": None}, status=400
        )
    context = {
        "form": form,
        "officer": officer,
        "record": found,
        "can_see_background": policy.can(actor, "manage_backgrounds", officer.unit.path),
    }
    return render(request, "people/record.html", context)


@staff_required
def representation(request: ActorRequest) -> HttpResponse:
    """The officers at a place by community and gender beside the population's."""
    actor = request.actor
    policy.require_anywhere(actor, "view_representation")
    places = selectors.visible_places(actor).order_by("path")
    form = RepresentationForm(request.GET or None)
    on = (form.cleaned_data.get("on") if form.is_valid() else None) or timezone.localdate()
    unit_id = request.GET.get("unit", "")
    unit = (
        selectors.get_place(actor, int(unit_id))
        if unit_id.isdigit() and len(unit_id) < 19
        else places.first()
    )
    comparison = selectors.compare_representation(actor, unit, on=on) if unit is not None else None
    context = {
        "form": form,
        "places": places[:500],
        "unit": unit,
        "comparison": comparison,
        "suppress_below": selectors.SUPPRESS_BELOW,
    }
    return render(request, "people/representation.html", context)


@staff_required
def background(request: ActorRequest, officer_id: int) -> HttpResponse:
    """An officer's community and gender: the personnel department's page only; every
    view and every change is logged."""
    actor = request.actor
    officer = selectors.get_record_officer(actor, officer_id)
    policy.require(actor, "manage_backgrounds", officer.unit.path)
    current = selectors.get_background(actor, officer, request=request)
    initial = {"community": current.community, "gender": current.gender} if current else {}
    form = BackgroundForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST":
        saved = submit(form, lambda data: services.record_background(actor, officer=officer, **data))
        if saved is not None:
            messages.success(request, _("The officer's background has been saved."))
            return redirect("people:background", officer_id=officer.pk)
    context = {"form": form, "officer": officer, "current": current}
    return render(request, "people/background.html", context, status=form_status(request))


@staff_required
def population(request: ActorRequest) -> HttpResponse:
    """The population's composition by municipality, which personnel keep."""
    actor = request.actor
    shares = selectors.list_population_shares(actor)
    form = PopulationShareForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        saved = submit(form, lambda data: services.set_population_share(actor, **data))
        if saved is not None:
            messages.success(request, _("The population share has been saved."))
            return redirect("people:population")
    context = {"form": form, "page": paginate(request, shares, 100), "query_string": ""}
    return render(request, "people/population.html", context, status=form_status(request))
