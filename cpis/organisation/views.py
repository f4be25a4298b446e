"""Staff pages of the organisation: home, unit, sector profile, officer."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from cpis.core import registry
from cpis.core.errors import DomainError
from cpis.core.forms import paginate, query_without_page, save_on_post
from cpis.core.htmx import template_for, vary_on_htmx
from cpis.core.registry import Urgency
from cpis.core.views import RecordPage, on_record
from cpis.organisation.access import ActorRequest

from . import selectors, services
from .access import Actor, staff_required
from .forms import (
    AssignOfficerForm,
    KeyLocationForm,
    OfficerSearchForm,
    SectorImportForm,
    SectorProfileForm,
)
from .models import Officer, Unit, UnitKind
from .policy import policy

# The headings of "my work today", most urgent first.
URGENCY_HEADINGS = {
    Urgency.OVERDUE: gettext_lazy("Overdue"),
    Urgency.NOW: gettext_lazy("Waiting for you"),
    Urgency.SOON: gettext_lazy("Coming up"),
}


@staff_required
def home(request: ActorRequest) -> HttpResponse:
    """My work today: what every app asks of the user now, counted at their places,
    most urgent first; then their places, whose pages hold the organisation's figures."""
    actor = request.actor
    items = registry.work_today(actor)
    groups = [
        {"urgency": urgency.name.lower(), "heading": heading, "items": chosen}
        for urgency, heading in URGENCY_HEADINGS.items()
        if (chosen := [item for item in items if item.urgency == urgency])
    ]
    places = selectors.list_home_units(actor).select_related("parent").order_by("path")
    return render(request, "organisation/home.html", {"groups": groups, "places": places})


def _unit_context(actor: Actor, unit: Unit, import_form: SectorImportForm | None) -> dict[str, object]:
    return {
        "unit": unit,
        "summary": selectors.summarise_unit(unit),
        "children": selectors.list_children(unit),
        "tenure_warnings": selectors.list_tenure_warnings(unit),
        "sectors": selectors.list_sectors_with_teams(unit)
        if unit.kind in {UnitKind.STATION, UnitKind.SUBSTATION}
        else [],
        "ancestors": selectors.visible_units(actor).filter(path__in=unit.ancestor_paths()[:-1]),
        "import_form": import_form,
    }


def _can_import(actor: Actor, unit: Unit) -> bool:
    return unit.kind in {UnitKind.STATION, UnitKind.SUBSTATION} and policy.can(
        actor, "manage_units", unit.path
    )


@staff_required
def unit_detail(request: ActorRequest, unit_id: int) -> HttpResponse:
    actor = request.actor
    unit = selectors.get_unit(actor, unit_id)
    if unit.kind == UnitKind.SECTOR:
        return redirect("organisation:sector", sector_id=unit.pk)
    form = SectorImportForm() if _can_import(actor, unit) else None
    return render(request, "organisation/unit_detail.html", _unit_context(actor, unit, form))


@staff_required
@require_POST
def unit_import_sectors(request: ActorRequest, unit_id: int) -> HttpResponse:
    """Create or update this station's sectors from an uploaded GeoJSON file."""
    actor = request.actor
    unit = selectors.get_unit(actor, unit_id)
    policy.require(actor, "manage_units", unit.path)
    form = SectorImportForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            sectors = services.import_sector_boundaries(actor, parent=unit, data=form.cleaned_data["file"])
        except DomainError as exc:
            form.add_error("file", str(exc))
        else:
            count = len(sectors)
            messages.success(
                request,
                ngettext("%(count)s sector imported.", "%(count)s sectors imported.", count)
                % {"count": count},
            )
            return redirect("organisation:unit", unit_id=unit.pk)
    return render(request, "organisation/unit_detail.html", _unit_context(actor, unit, form), status=400)


@staff_required
def sector_detail(request: ActorRequest, sector_id: int) -> HttpResponse:
    """The sector (AoR) profile [2.4.6]: boundary, team, population, key locations."""
    actor = request.actor
    sector = selectors.get_unit(actor, sector_id)
    if sector.kind != UnitKind.SECTOR:
        return redirect("organisation:unit", unit_id=sector.pk)
    can_edit = policy.can(actor, "edit_sector", sector.path)
    profile_form = SectorProfileForm(
        initial={"population": sector.population, "description": sector.description}
    )
    location_form = KeyLocationForm()
    if request.method == "POST":
        if "add_location" in request.POST:
            location_form = KeyLocationForm(request.POST)
            if save_on_post(
                request,
                location_form,
                lambda data: services.add_key_location(actor, sector=sector, **data),
                success=_("Key location added."),
            ):
                return redirect("organisation:sector", sector_id=sector.pk)
        else:
            profile_form = SectorProfileForm(request.POST)
            if profile_form.is_valid():
                services.update_sector_profile(actor, sector=sector, **profile_form.cleaned_data)
                messages.success(request, _("Sector profile saved."))
                return redirect("organisation:sector", sector_id=sector.pk)
    context = {
        "sector": sector,
        "station": selectors.station_of(sector),
        "team": selectors.get_sector_team(sector),
        "history": selectors.list_sector_history(sector),
        "key_locations": selectors.list_key_locations(sector),
        "can_edit": can_edit,
        "profile_form": profile_form,
        "location_form": location_form,
        "ancestors": selectors.visible_units(actor).filter(path__in=sector.ancestor_paths()[:-1]),
    }
    return render(request, "organisation/sector_detail.html", context)


@staff_required
def officer_list(request: ActorRequest) -> HttpResponse:
    actor = request.actor
    form = OfficerSearchForm(request.GET or None)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    officers = selectors.list_officers(actor, query=query).order_by("last_name", "first_name", "id")
    context = {
        "form": form,
        "page": paginate(request, officers),
        "query": query,
        "query_string": query_without_page(request.GET),
    }
    template = template_for(request, "organisation/officer_list.html", "officer-rows")
    return vary_on_htmx(render(request, template, context))


def _officer_context(request: ActorRequest, officer: Officer) -> dict[str, object]:
    actor = request.actor
    return {
        "officer": officer,
        "personal": None,
        "assignments": selectors.list_officer_assignments(officer),
        "current": selectors.current_assignment(officer),
        "form": AssignOfficerForm(
            sectors=selectors.list_assignable_sectors(actor, officer),
            initial={"start_date": timezone.localdate()},
        ),
        "can_assign": policy.can(actor, "manage_assignments", officer.unit.path),
    }


OFFICER_PAGE = RecordPage[Officer](
    "organisation:officer", selectors.get_officer, "organisation/officer_detail.html", _officer_context
)


@staff_required
@on_record(selectors.get_officer)
def officer_detail(request: ActorRequest, officer: Officer) -> HttpResponse:
    """An officer's record. Personal data only for roles that need it; each
    view of it is written to the access log."""
    actor = request.actor
    personal = None
    if selectors.can_view_personal_data(actor, officer):
        personal = selectors.get_officer_personal_data(actor, officer, request=request)
    return OFFICER_PAGE.show(request, officer, personal=personal)


@staff_required
@require_POST
@on_record(selectors.get_officer)
def officer_assign(request: ActorRequest, officer: Officer) -> HttpResponse:
    return OFFICER_PAGE.step(
        request,
        officer,
        "form",
        AssignOfficerForm(request.POST, sectors=selectors.list_assignable_sectors(request.actor, officer)),
        lambda data: services.assign_officer(request.actor, officer=officer, **data),
        success=_("The officer has been assigned."),
    )
