"""Staff pages of the media log: the list with filters, the coverage page (monthly
tone chart, net tone with its interval, top topics and outlets, last year), the
quick entry on a phone, a report with its edit and delete, the outlets' list, and
the spreadsheet import with its dry run."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from cpis.core.errors import DomainError, InvalidInput
from cpis.core.forms import form_page, paginate, query_without_page, submit
from cpis.core.uploads import Upload, read_upload
from cpis.core.views import flash_step, record_url
from cpis.organisation.access import Actor, ActorRequest, staff_required

from . import charts, importing, selectors, services
from .forms import FilterForm, ItemForm, MappingForm, OutletForm, UploadForm
from .models import MediaItem
from .policy import policy
from .reading import read_table

_detail_url = record_url("media:detail")


def _filters(actor: Actor, params: QueryDict) -> tuple[FilterForm, selectors.Filters]:
    units = list(selectors.list_places(actor, "view"))
    topics = list(selectors.list_topics(active=False))
    form = FilterForm(params or None, units=units, topics=topics)
    data = form.cleaned_data if form.is_valid() else {}
    return form, selectors.Filters(
        unit=next((u for u in units if u.pk == data.get("unit")), None),
        start=data.get("start"),
        end=data.get("end"),
        topic=next((t for t in topics if t.pk == data.get("topic")), None),
        outlet_kind=data.get("outlet_kind", ""),
        tone=data.get("tone", ""),
    )


def _links(actor: Actor) -> dict[str, Any]:
    return {
        "can_log": policy.anywhere(actor, "log"),
        "can_manage_lists": policy.anywhere(actor, "manage_lists"),
    }


@staff_required
def item_list(request: ActorRequest) -> HttpResponse:
    """The reports about my places, filtered, newest first."""
    actor = request.actor
    policy.require_anywhere(actor, "view")
    form, filters = _filters(actor, request.GET)
    context = {
        "form": form,
        "page": paginate(request, selectors.list_items(actor, filters)),
        "query_string": query_without_page(request.GET),
        **_links(actor),
    }
    return render(request, "media/list.html", context)


@staff_required
def coverage(request: ActorRequest) -> HttpResponse:
    """Counts and tone over time for my places, a topic, a kind of outlet, a tone."""
    actor = request.actor
    policy.require_anywhere(actor, "view")
    form, filters = _filters(actor, request.GET)
    figures = selectors.coverage(actor, filters)
    context = {
        "form": form,
        "figures": figures,
        "chart": charts.tone_chart(figures.months),
        "query_string": query_without_page(request.GET),
        **_links(actor),
    }
    return render(request, "media/coverage.html", context)


def _item_form(request: ActorRequest, actor: Actor, item: MediaItem | None) -> ItemForm:
    places = list(selectors.list_places(actor, "log"))
    if item is not None:
        known = {u.pk for u in places}
        places += [p.unit for p in item.places.all() if p.unit_id not in known]
    data = request.POST if request.method == "POST" else None
    if item is None:
        default = selectors.default_place(actor)
        initial: dict[str, Any] = {
            "published_on": timezone.localdate(),
            "unit": default.pk if default else None,
        }
    else:
        units = [p.unit_id for p in item.places.all()]
        initial = {
            "outlet": item.outlet_id,
            "published_on": item.published_on,
            "headline": item.headline,
            "tone": item.tone,
            "topic": item.topic_id,
            "unit": units[0] if units else None,
            "more_units": units[1:],
            "url": item.url,
            "summary": item.summary,
            "municipalities": [m.pk for m in item.municipalities.all()],
            "problem_ids": ", ".join(str(p.pk) for p in item.problems.all()),
            "activity_ids": ", ".join(str(a.pk) for a in item.activities.all()),
            "meeting_ids": ", ".join(str(m.pk) for m in item.meetings.all()),
            "press_release_ids": ", ".join(str(r.pk) for r in item.press_releases.all()),
        }
    form = ItemForm(
        data,
        initial=initial,
        outlets=selectors.list_outlets(),
        topics=selectors.list_topics(),
        places=places,
        municipalities=selectors.list_municipalities(),
    )
    form.places = {u.pk: u for u in places}  # type: ignore[attr-defined]
    return form


def _save(actor: Actor, form: ItemForm, data: dict[str, Any], item: MediaItem | None) -> MediaItem:
    places = form.places  # type: ignore[attr-defined]
    outlet = selectors.get_outlet(data["outlet"])
    topic = selectors.get_topic(data["topic"])
    if outlet is None or topic is None:
        raise InvalidInput(_("Choose the outlet and the topic."))
    ids = [data["unit"], *[u for u in data["more_units"] if u != data["unit"]]]
    fields: dict[str, Any] = {
        "published_on": data["published_on"],
        "outlet": outlet,
        "headline": data["headline"],
        "topic": topic,
        "tone": data["tone"],
        "units": [places[i] for i in ids if i in places],
        "url": data["url"],
        "summary": data["summary"],
        "municipalities": selectors.get_municipalities(data["municipalities"]),
        "links": services.Links(
            problem_ids=data["problem_ids"],
            activity_ids=data["activity_ids"],
            meeting_ids=data["meeting_ids"],
            press_release_ids=data["press_release_ids"],
        ),
    }
    if item is None:
        return services.log_item(actor, **fields)
    return services.update_item(actor, item=item, **fields)


def _item_page(request: ActorRequest, item: MediaItem | None) -> HttpResponse:
    actor = request.actor
    form = _item_form(request, actor, item)
    return form_page(
        request,
        form,
        lambda data: _save(actor, form, data, item),
        success=_("Changes saved.") if item is not None else None,
        then=_detail_url if item is not None else lambda logged: f"{_detail_url(logged)}?logged=1",
        template="media/form.html",
        context={"item": item},
    )


def _require_log_somewhere(actor: Actor) -> None:
    if not actor.is_system and not policy.places(actor, "log"):
        policy.require_anywhere(actor, "view")
        raise PermissionDenied(_("Your role does not log media reports."))


@staff_required
def log(request: ActorRequest) -> HttpResponse:
    """The quick entry: outlet, today, headline, tone, topic, my place."""
    _require_log_somewhere(request.actor)
    return _item_page(request, None)


@staff_required
def detail(request: ActorRequest, item_id: int) -> HttpResponse:
    actor = request.actor
    item = selectors.get_item(actor, item_id)
    context = {
        "item": item,
        "can_change": selectors.can_change(actor, item),
        "just_logged": request.GET.get("logged") == "1",
    }
    return render(request, "media/detail.html", context)


@staff_required
def edit(request: ActorRequest, item_id: int) -> HttpResponse:
    actor = request.actor
    item = selectors.get_item(actor, item_id)
    if not selectors.can_change(actor, item):
        messages.error(request, _("You may not change this report."))
        return redirect("media:detail", item_id=item.pk)
    return _item_page(request, item)


@staff_required
def delete(request: ActorRequest, item_id: int) -> HttpResponse:
    actor = request.actor
    item = selectors.get_item(actor, item_id)
    if request.method == "POST":
        if flash_step(
            request, lambda: services.delete_item(actor, item=item), success=_("The report was deleted.")
        ):
            return redirect("media:list")
        return redirect("media:detail", item_id=item.pk)
    if not selectors.can_change(actor, item):
        messages.error(request, _("You may not change this report."))
        return redirect("media:detail", item_id=item.pk)
    return render(request, "media/delete.html", {"item": item})


@staff_required
def outlets(request: ActorRequest) -> HttpResponse:
    """The list of outlets; the directorate and the strategy coordinator add to it."""
    actor = request.actor
    policy.require_anywhere(actor, "view")
    may_add = policy.can(actor, "manage_lists", selectors.root_path()) or actor.is_system
    form = OutletForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if not may_add:
            raise PermissionDenied(_("You may not do this here."))
        saved = submit(form, lambda data: services.add_outlet(actor, **data))
        if saved is not None:
            messages.success(request, _("The outlet was added."))
            return redirect("media:outlets")
    context = {"outlets": selectors.list_outlets(active=False), "form": form, "may_add": may_add}
    return render(request, "media/outlets.html", context, status=400 if form.errors else 200)


@staff_required
def import_upload(request: ActorRequest) -> HttpResponse:
    """Upload a spreadsheet; the next page maps its columns and checks it."""
    actor = request.actor
    _require_log_somewhere(actor)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            staged = services.stage_import(actor, upload=read_upload(form.cleaned_data["file"]))
        except DomainError as exc:
            form.add_error("file", str(exc))
        else:
            return redirect("media:import_staged", staged_id=staged.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "media/import.html", {"form": form, "fields": importing.FIELDS}, status=status)


@staff_required
def import_staged(request: ActorRequest, staged_id: int) -> HttpResponse:
    """Map the columns, check the rows (the dry run), then import."""
    actor = request.actor
    _require_log_somewhere(actor)
    staged = selectors.get_staged_import(actor, staged_id)
    upload = Upload(staged.name, bytes(staged.data))
    table = read_table(upload)
    places = list(selectors.list_places(actor, "log"))
    guessed = {f"col_{k}": v for k, v in importing.guess_mapping(table.header).items()}
    form = MappingForm(request.POST or None, initial=guessed, header=table.header, places=places)
    result = None
    status = 200
    if request.method == "POST" and form.is_valid():
        unit = next((u for u in places if u.pk == form.cleaned_data["unit"]), None)
        arguments: dict[str, Any] = {"staged": staged, "mapping": form.mapping(), "default_unit": unit}
        try:
            if "import" in request.POST:
                done = services.import_items(
                    actor, **arguments, valid_rows_only=form.cleaned_data["valid_rows_only"]
                )
                messages.success(
                    request,
                    _(
                        "%(stored)s reports imported; %(duplicates)s already in the log; "
                        "%(errors)s rows with errors left out."
                    )
                    % {
                        "stored": done.imported,
                        "duplicates": len(done.duplicates),
                        "errors": len(done.errors),
                    },
                )
                return redirect("media:list")
            result = services.check_import(actor, **arguments)
        except DomainError as exc:
            form.add_error(None, str(exc))
            status = 400
            if isinstance(exc, services.ImportHasErrors):
                result = services.check_import(actor, **arguments)
    elif request.method == "POST":
        status = 400
    context = {
        "form": form,
        "staged": staged,
        "header": table.header,
        "rows": len(table.rows),
        "result": result,
    }
    return render(request, "media/import_staged.html", context, status=status)
