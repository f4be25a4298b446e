"""Staff pages for outreach: the list of a place with filters, totals and
exports; the one-screen log form; an entry with its edit and delete."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from cpis.core.exports import download
from cpis.core.forms import form_page, paginate, query_without_page
from cpis.core.views import flash_step, record_url
from cpis.organisation.access import Actor, ActorRequest, staff_required

if TYPE_CHECKING:
    from cpis.organisation.models import Unit

from . import selectors, services
from .forms import ActivityForm, FilterForm, parse_period
from .models import OutreachActivity
from .policy import policy

FORM = "outreach/form.html"


_detail_url = record_url("outreach:detail")


def _filters(actor: Actor, params: QueryDict) -> tuple[FilterForm, selectors.Filters]:
    units = list(selectors.list_filter_units(actor))
    form = FilterForm(params or None, units=units)
    data = form.cleaned_data if form.is_valid() else {}
    unit_id = data.get("unit")
    return form, selectors.Filters(
        kind=data.get("kind", ""),
        topic=data.get("topic", ""),
        period=parse_period(data.get("period", "")),
        unit=next((u for u in units if u.pk == unit_id), None),
    )


@staff_required
def activity_list(request: ActorRequest) -> HttpResponse:
    """The activities of my places, filtered, with totals per kind."""
    actor = request.actor
    policy.require_anywhere(actor, "view")
    form, filters = _filters(actor, request.GET)
    totals, overall = selectors.totals_by_kind(actor, filters)
    context = {
        "form": form,
        "page": paginate(request, selectors.list_activities(actor, filters)),
        "totals": totals,
        "overall": overall,
        "query_string": query_without_page(request.GET),
        "can_log": policy.anywhere(actor, "log"),
    }
    return render(request, "outreach/list.html", context)


@staff_required
def export(request: ActorRequest, fmt: str) -> HttpResponse:
    """The filtered list as CSV or XLSX (text cells made safe for spreadsheets)."""
    actor = request.actor
    policy.require_anywhere(actor, "view")
    _form, filters = _filters(actor, request.GET)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return download(
        selectors.EXPORT_HEADER, selectors.export_rows(actor, filters), fmt, name=f"outreach-{stamp}"
    )


def _form(
    request: ActorRequest,
    actor: Actor,
    *,
    activity: OutreachActivity | None = None,
) -> tuple[ActivityForm, list[Unit]]:
    """The log form with its choices: places the actor may log at (and the
    activity's own), officers of the chosen place, me ticked."""
    places = list(selectors.list_places(actor))
    if activity is not None and activity.unit_id not in {u.pk for u in places}:
        places.insert(0, activity.unit)
    me = selectors.officer_of(actor)
    data = request.POST if request.method == "POST" else None
    chosen = (data or request.GET).get("unit", "")
    unit = next((u for u in places if str(u.pk) == chosen), None)
    if activity is not None:
        unit = unit or activity.unit
        include = [o.pk for o in activity.officers.all()]
        initial: dict[str, Any] = {
            "kind": activity.kind,
            "topic": activity.topic,
            "happened_on": activity.happened_on,
            "unit": unit.pk,
            "place": activity.place,
            "settlement": activity.settlement_id,
            "audience": activity.audience,
            "officers": include,
            "notes": activity.notes,
        }
    else:
        unit = unit or selectors.default_place(actor, me)
        include = [me.pk] if me is not None else []
        initial = {
            "happened_on": timezone.localdate(),
            "unit": unit.pk if unit else None,
            "officers": include,
            "kind": request.GET.get("kind", ""),
        }
    if me is not None:
        include = [*include, me.pk]
    form = ActivityForm(
        data,
        initial=initial,
        places=places,
        officers=selectors.list_officer_choices(unit, include=include),
        settlements=selectors.list_settlements(places),
    )
    return form, places


def _save(
    actor: Actor, data: dict[str, Any], places: list[Unit], activity: OutreachActivity | None
) -> OutreachActivity:
    unit = next((u for u in places if u.pk == data["unit"]), None)
    if unit is None:
        raise services.InvalidInput(_("Choose a sector or a station as the place."))
    fields: dict[str, Any] = {
        "kind": data["kind"],
        "topic": data["topic"],
        "happened_on": data["happened_on"],
        "unit": unit,
        "audience": data["audience"],
        "officer_ids": data["officers"],
        "place": data["place"],
        "settlement": selectors.get_settlement(data["settlement"]),
        "notes": data["notes"],
    }
    if activity is None:
        return services.log_activity(actor, **fields)
    return services.update_activity(actor, activity=activity, **fields)


def _require_log_somewhere(actor: Actor) -> None:
    if not actor.is_system and not policy.places(actor, "log"):
        policy.require_anywhere(actor, "view")
        raise PermissionDenied(_("Your role does not log outreach activities."))


def _activity_page(request: ActorRequest, activity: OutreachActivity | None) -> HttpResponse:
    """The log form (`activity` None: the new entry's page then says it was
    logged) or an entry's edit form."""
    actor = request.actor
    form, places = _form(request, actor, activity=activity)
    return form_page(
        request,
        form,
        lambda data: _save(actor, data, places, activity),
        success=_("Changes saved.") if activity is not None else None,
        then=_detail_url if activity is not None else lambda logged: f"{_detail_url(logged)}?logged=1",
        template=FORM,
        context={"activity": activity},
    )


@staff_required
def log(request: ActorRequest) -> HttpResponse:
    """Log an activity: one screen, today, my sector, me."""
    _require_log_somewhere(request.actor)
    return _activity_page(request, None)


@staff_required
def detail(request: ActorRequest, activity_id: int) -> HttpResponse:
    actor = request.actor
    activity = selectors.get_activity(actor, activity_id)
    context = {
        "activity": activity,
        "can_change": selectors.can_change(actor, activity),
        "just_logged": request.GET.get("logged") == "1",
    }
    return render(request, "outreach/detail.html", context)


@staff_required
def edit(request: ActorRequest, activity_id: int) -> HttpResponse:
    actor = request.actor
    activity = selectors.get_activity(actor, activity_id)
    if not selectors.can_change(actor, activity):
        messages.error(request, _("You can no longer change this entry."))
        return redirect("outreach:detail", activity_id=activity.pk)
    return _activity_page(request, activity)


@staff_required
def delete(request: ActorRequest, activity_id: int) -> HttpResponse:
    actor = request.actor
    activity = selectors.get_activity(actor, activity_id)
    if request.method == "POST":
        if flash_step(
            request,
            lambda: services.delete_activity(actor, activity=activity),
            success=_("The entry was deleted."),
        ):
            return redirect("outreach:list")
        return redirect("outreach:detail", activity_id=activity.pk)
    if not selectors.can_change(actor, activity):
        messages.error(request, _("You can no longer change this entry."))
        return redirect("outreach:detail", activity_id=activity.pk)
    return render(request, "outreach/delete.html", {"activity": activity})
