"""Staff pages for outreach: the list of a place with filters, totals and
exports; the one-screen log form; an entry with its edit and delete."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cpis.core.errors import DomainError
from cpis.core.exports import to_csv, to_xlsx
from cpis.organisation.access import Actor, ActorRequest, staff_required
from cpis.organisation.models import Unit

from . import selectors, services
from .forms import ActivityForm, FilterForm, parse_period
from .models import OutreachActivity
from .policy import policy

PAGE_SIZE = 50
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


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
    page = Paginator(selectors.list_activities(actor, filters), PAGE_SIZE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "totals": totals,
        "overall": overall,
        "query_string": params.urlencode(),
        "can_log": policy.anywhere(actor, "log"),
    }
    return render(request, "outreach/list.html", context)


@staff_required
def export(request: ActorRequest, fmt: str) -> HttpResponse:
    """The filtered list as CSV or XLSX (text cells made safe for spreadsheets)."""
    actor = request.actor
    policy.require_anywhere(actor, "view")
    _form, filters = _filters(actor, request.GET)
    rows = selectors.export_rows(actor, filters)
    if fmt == "csv":
        response = HttpResponse(to_csv(selectors.EXPORT_HEADER, rows), content_type="text/csv; charset=utf-8")
    elif fmt == "xlsx":
        response = HttpResponse(to_xlsx(selectors.EXPORT_HEADER, rows, title="outreach"), content_type=XLSX)
    else:
        raise Http404(_("Not found."))
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="outreach-{stamp}.{fmt}"'
    return response


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
    actor: Actor, form: ActivityForm, places: list[Unit], activity: OutreachActivity | None
) -> OutreachActivity:
    data = form.cleaned_data
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


@staff_required
def log(request: ActorRequest) -> HttpResponse:
    """Log an activity: one screen, today, my sector, me."""
    actor = request.actor
    _require_log_somewhere(actor)
    form, places = _form(request, actor)
    if request.method == "POST" and form.is_valid():
        try:
            activity = _save(actor, form, places, None)
        except DomainError as exc:
            form.add_error(None, str(exc))
        else:
            return redirect(reverse("outreach:detail", args=[activity.pk]) + "?logged=1")
    status = 400 if request.method == "POST" else 200
    return render(request, "outreach/form.html", {"form": form, "activity": None}, status=status)


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
    form, places = _form(request, actor, activity=activity)
    if request.method == "POST" and form.is_valid():
        try:
            _save(actor, form, places, activity)
        except DomainError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Changes saved."))
            return redirect("outreach:detail", activity_id=activity.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "outreach/form.html", {"form": form, "activity": activity}, status=status)


@staff_required
def delete(request: ActorRequest, activity_id: int) -> HttpResponse:
    actor = request.actor
    activity = selectors.get_activity(actor, activity_id)
    if request.method == "POST":
        try:
            services.delete_activity(actor, activity=activity)
        except DomainError as exc:
            messages.error(request, str(exc))
            return redirect("outreach:detail", activity_id=activity.pk)
        messages.success(request, _("The entry was deleted."))
        return redirect("outreach:list")
    if not selectors.can_change(actor, activity):
        messages.error(request, _("You can no longer change this entry."))
        return redirect("outreach:detail", activity_id=activity.pk)
    return render(request, "outreach/delete.html", {"activity": activity})
