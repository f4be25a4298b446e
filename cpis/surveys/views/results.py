"""Where survey results show for staff: the dashboard (a wave and an item; a map
of the sectors, the places of a level with their change since the previous
wave, the groups with the gap between each community and the rest), a place's
survey page (every item, and beside it what was done there since the previous
wave — the problems app's fragment), and the panel on a sector's profile.
Every figure comes from the wave's cached table; suppressed figures carry no
number (the results engine withholds them)."""

from typing import Any
from urllib.parse import urlencode

from django import forms
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cpis.core.htmx import template_for, vary_on_htmx
from cpis.core.http import whole_number
from cpis.core.views import on_record
from cpis.organisation.access import Actor, ActorRequest, staff_required

from .. import charts
from ..policy import policy
from ..selectors import dashboard
from ..selectors.results import LEVELS

LEVEL_LABELS = {
    "sector": gettext_lazy("Sectors"),
    "station": gettext_lazy("Stations"),
    "region": gettext_lazy("Regions"),
    "country": gettext_lazy("Country"),
}
DIRECT, SMALL_AREA = "direct", "small_area"


class ResultsForm(forms.Form):
    """What the dashboard shows: the wave, the item, the level of the table,
    the estimate on the map, and the place of the groups."""

    wave = forms.TypedChoiceField(label=gettext_lazy("Wave"), coerce=int)
    item = forms.ChoiceField(label=gettext_lazy("Question"))
    level = forms.ChoiceField(label=gettext_lazy("Places"), required=False)
    estimate = forms.ChoiceField(
        label=gettext_lazy("Estimate on the map"),
        required=False,
        choices=[
            (DIRECT, gettext_lazy("Direct estimate")),
            (SMALL_AREA, gettext_lazy("Model-based (small-area) estimate")),
        ],
    )
    place = forms.TypedChoiceField(
        label=gettext_lazy("Groups at"), coerce=int, required=False, empty_value=None
    )

    def __init__(self, *args: Any, waves: Any, items: Any, places: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["wave"].choices = [  # type: ignore[attr-defined]
            (w.pk, f"{w.name} · {w.place.name}") for w in waves
        ]
        self.fields["item"].choices = [(i.key, i.label) for i in items]  # type: ignore[attr-defined]
        self.fields["level"].choices = [(level, LEVEL_LABELS[level]) for level in LEVELS]  # type: ignore[attr-defined]
        self.fields["place"].choices = [("", _("Your whole view of the wave")), *places]  # type: ignore[attr-defined]

    def value(self, name: str, default: Any) -> Any:
        """The field's cleaned value; `default` when it was left out or refused
        (its error shows on the form)."""
        found = self.cleaned_data.get(name) if self.is_bound else None
        return default if found in (None, "") else found


def _chosen_wave(request: ActorRequest, actor: Actor) -> Any:
    """The wave asked for (404 when it is not one the actor may open), or the
    newest with answers."""
    raw = request.GET.get("wave", "")
    if not raw:
        return dashboard.latest_wave(actor)
    wave_id = whole_number(raw)
    if wave_id is None:
        raise Http404(_("Not found."))
    return dashboard.get_wave(actor, wave_id)


def _place_choices(actor: Actor, t: Any) -> list[tuple[int, str]]:
    return [
        (u.pk, f"{LEVEL_LABELS[level]}: {u.name}")
        for level in ("country", "region", "station", "sector")
        for u in dashboard.viewable_places(actor, t, level)
    ]


def _groups(actor: Actor, wave: Any, t: Any, place_id: int | None, item: Any) -> tuple[Any, list[Any]]:
    """The place of the groups view (the one asked for, else where the actor's
    view of the wave starts) and its groups for the item."""
    place: Any
    if place_id is not None:
        place, level = dashboard.get_place(actor, place_id)
    else:
        place = dashboard.scope_place(actor, wave)
        level = dashboard.level_of(place) if place is not None else ""
    if place is None:
        return None, []
    rows = dashboard.group_rows(t, level, place.pk, item.key)
    return place, charts.group_blocks(rows, item.is_share, t.min_n)


def _query(request: ActorRequest, **changes: str) -> str:
    params = request.GET.copy()
    for key, value in changes.items():
        params[key] = value
    return params.urlencode()


@staff_required
def results_dashboard(request: ActorRequest) -> HttpResponse:
    """A wave's results for one item: the map, the places of a level, the groups."""
    actor = request.actor
    policy.require_anywhere(actor, "view")
    wave = _chosen_wave(request, actor)
    if wave is None:
        return render(request, "surveys/results/dashboard.html", {"wave": None})
    t = dashboard.table(wave)
    items = dashboard.items(wave)
    if not items:
        raise Http404(_("Not found."))
    default_item = dashboard.headline_keys(wave)[0]
    asked = request.GET
    data = {
        "wave": str(wave.pk),
        "item": asked.get("item") or default_item,
        "level": asked.get("level") or "sector",
        "estimate": asked.get("estimate") or DIRECT,
        "place": asked.get("place", ""),
    }
    form = ResultsForm(data, waves=dashboard.list_waves(actor), items=items, places=_place_choices(actor, t))
    form.is_valid()
    item_key = form.value("item", default_item)
    item = next(i for i in items if i.key == item_key)
    level = form.value("level", "sector")
    small_area = form.value("estimate", DIRECT) == SMALL_AREA
    before = dashboard.previous(wave)
    scope = dashboard.scope_place(actor, wave)
    group_place, groups = _groups(actor, wave, t, form.value("place", None), item)
    rows = dashboard.place_rows(actor, t, dashboard.table_of(before), level, item.key)
    figures = dashboard.map_figures(actor, t, item.key, small_area=small_area)
    context = {
        "form": form,
        "wave": wave,
        "before": before,
        "table": t,
        "item": item,
        "measure": charts.measure(item),
        "level": level,
        "level_label": LEVEL_LABELS[level],
        "small_area": small_area,
        "lines": charts.place_lines(rows, item.is_share, t.min_n),
        "map_data": charts.map_data(figures, item.is_share, t.min_n),
        "legend": charts.legend(item.is_share, t.min_n),
        "sectors_url": reverse("api:sectors") + (f"?within_id={scope.pk}" if scope is not None else ""),
        "toggle": {mode: _query(request, estimate=mode) for mode in (DIRECT, SMALL_AREA)},
        "group_place": group_place,
        "groups": groups,
        # The survey pages start at the reader's own place inside the wave's (a region's
        # staff may not open the country's page of a national wave).
        "scope": scope,
    }
    return render(request, "surveys/results/dashboard.html", context)


@staff_required
def place_results(request: ActorRequest, wave_id: int, unit_id: int) -> HttpResponse:
    """A place's survey page for a wave: every item with its interval (the
    small-area estimate beside it for a sector), its change and trend; the
    groups for one item; and what was done there since the previous wave."""
    actor = request.actor
    wave = dashboard.get_wave(actor, wave_id)
    unit, level = dashboard.get_place(actor, unit_id)
    t = dashboard.table(wave)
    items = dashboard.items(wave)
    asked = request.GET.get("item", "")
    default = dashboard.headline_keys(wave)[0] if items else ""
    item = next((i for i in items if i.key == asked), None) or next(
        (i for i in items if i.key == default), None
    )
    before = dashboard.previous(wave)
    since, until = dashboard.activity_period(wave, before)
    context = {
        "wave": wave,
        "before": before,
        "unit": unit,
        "level": level,
        "table": t,
        "in_wave": unit.pk in t.place_index[level],
        "lines": charts.item_lines(dashboard.item_rows(wave, t, level, unit.pk), t.min_n),
        "items": items,
        "item": item,
        "groups": charts.group_blocks(
            dashboard.group_rows(t, level, unit.pk, item.key), item.is_share, t.min_n
        )
        if item is not None
        else [],
        "since": since,
        "until": until,
        "waves": dashboard.waves_for(actor, unit),
        "dashboard_query": urlencode(
            {"wave": wave.pk, "level": level, "place": unit.pk, "item": item.key if item else ""}
        ),
    }
    return render(request, "surveys/results/place.html", context)


@staff_required
def place_latest(request: ActorRequest, unit_id: int) -> HttpResponse:
    """A place's survey page for the newest wave that surveyed it."""
    actor = request.actor
    unit, _level = dashboard.get_place(actor, unit_id)
    wave = dashboard.latest_wave(actor, covering=unit)
    if wave is None:
        return render(request, "surveys/results/place.html", {"unit": unit, "wave": None})
    return redirect("surveys:place_results", wave_id=wave.pk, unit_id=unit.pk)


@staff_required
@on_record(dashboard.get_sector)
def sector_panel(request: ActorRequest, sector: Any) -> HttpResponse:
    """The panel the sector's staff profile loads (htmx), or the same as a page."""
    panel = dashboard.sector_panel(request.actor, sector)
    context = {"panel": panel, "lines": charts.item_lines(panel.rows, panel.min_n), "sector": sector}
    template = template_for(request, "surveys/results/sector_panel.html", "panel")
    return vary_on_htmx(render(request, template, context))
