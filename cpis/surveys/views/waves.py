"""Staff pages of the survey waves (issue #14, item 2): the waves of the
actor's places; a new wave and its changes; a wave's page with its sectors'
targets (a total shared between them, or each set by hand), its population
margins, its course (open, close) and its start points, drawn again from the
seed; and the interviewers' sheets of a sector or a station, as a page to print
and as a PDF, in the language the interviewer chooses."""

from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST, require_safe

from cpis.core.exports import attachment
from cpis.core.forms import form_page, initial_from, paginate, query_without_page, submit
from cpis.core.views import RecordPage, record_url
from cpis.organisation.access import Actor, ActorRequest, staff_required

from ..forms.waves import (
    AllocateForm,
    DrawForm,
    SheetLanguageForm,
    TargetsForm,
    WaveFilterForm,
    WaveForm,
    margin_forms,
)
from ..pdf.sheets import sheet_texts
from ..selectors import questionnaires as questionnaire_selectors
from ..selectors import waves as selectors
from ..services import sampling as sampling_services
from ..services import waves as services
from .common import form_step

# --- the list, a new wave and its changes ---------------------------------------------------------


@staff_required
@require_safe
def wave_list(request: ActorRequest) -> HttpResponse:
    """The waves at, below and above the actor's places, newest first."""
    actor = request.actor
    form = WaveFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    rows = selectors.list_waves(actor, status=data.get("status", ""))
    context = {
        "form": form,
        "page": paginate(request, rows),
        "query_string": query_without_page(request.GET),
        "can_create": selectors.may_plan_somewhere(actor),
    }
    return render(request, "surveys/waves/list.html", context)


def _wave_form(request: ActorRequest, wave: Any | None) -> WaveForm:
    actor = request.actor
    return WaveForm(
        request.POST if request.method == "POST" else None,
        initial=initial_from(wave, WaveForm) if wave is not None else None,
        versions=questionnaire_selectors.list_published_versions(keep=wave.version_id if wave else None),
        places=selectors.list_wave_places(actor),
        creating=wave is None,
        locked=wave is not None and wave.status != "planned",
    )


@staff_required
def wave_new(request: ActorRequest) -> HttpResponse:
    """Plan a wave at a place the actor runs waves at."""
    actor = request.actor
    selectors.require_plan_somewhere(actor)
    form = _wave_form(request, None)
    return form_page(
        request,
        form,
        lambda _data: services.create_wave(actor, **form.service_input()),
        success=_("The wave is planned."),
        then=record_url("surveys:wave"),
        template="surveys/waves/form.html",
    )


@staff_required
def wave_edit(request: ActorRequest, wave_id: int) -> HttpResponse:
    """Change a wave that is not closed (its questionnaire and place while it is planned)."""
    actor = request.actor
    wave = selectors.get_wave(actor, wave_id)
    selectors.require_run(actor, wave)
    form = _wave_form(request, wave)
    return form_page(
        request,
        form,
        lambda _data: services.update_wave(actor, wave=wave, **form.service_input()),
        success=_("The wave is saved."),
        then=record_url("surveys:wave"),
        template="surveys/waves/form.html",
        context={"wave": wave},
    )


# --- a wave's page and its steps --------------------------------------------------------------------


# A wave's page lists its start points up to this many; a bigger wave's (a national one has
# thousands) are on the interviewers' sheets of each station, linked from the page.
POINTS_LISTED = 300


def _start_points(wave: Any) -> dict[str, Any]:
    points = selectors.list_start_points(wave)
    drawn = points.count()
    return {"points": list(points) if drawn <= POINTS_LISTED else [], "points_drawn": drawn}


def _context(request: ActorRequest, wave: Any) -> dict[str, Any]:
    actor = request.actor
    can_run = selectors.can_run(actor, wave)
    targets = selectors.list_targets(wave)
    context: dict[str, Any] = {
        "wave": wave,
        "can_run": can_run,
        "changeable": can_run and wave.status != "closed",
        "targets": targets,
        "total_target": sum(row.target or 0 for row in targets),
        "margins": selectors.list_margins(wave),
        **_start_points(wave),
        "sheet_units": selectors.list_sheet_units(actor, wave),
        "sheet_form": SheetLanguageForm(initial={"lang": translation.get_language()}),
    }
    if context["changeable"]:
        context |= {
            "allocate_form": AllocateForm(initial={"total": context["total_target"] or None}),
            "targets_form": TargetsForm(rows=targets),
            "margin_forms": margin_forms(selectors.margins_by_dimension(wave)),
            "draw_form": DrawForm(),
        }
    return context


page = RecordPage("surveys:wave", selectors.get_wave, "surveys/waves/detail.html", _context)
wave_detail = staff_required(require_safe(page.view()))


def _targets(request: ActorRequest, actor: Actor, wave: Any) -> HttpResponse:
    form = TargetsForm(request.POST, rows=selectors.list_targets(wave))
    return page.step(
        request,
        wave,
        "targets_form",
        form,
        lambda _data: services.set_targets(actor, wave=wave, targets=form.targets()),
        success=_("The sectors' targets are saved."),
    )


def _margins(request: ActorRequest, actor: Actor, wave: Any) -> HttpResponse:
    posted = request.POST.get("dimension", "")
    forms = margin_forms(selectors.margins_by_dimension(wave), request.POST, posted)
    form = next((f for f in forms if f.dimension_code == posted), None)
    if form is None:
        messages.error(request, _("Choose community, gender or age band."))
        return page.invalid(request, wave)
    saved = submit(
        form, lambda _data: services.set_margins(actor, wave=wave, dimension=posted, shares=form.shares())
    )
    if saved is None:
        return page.invalid(request, wave, margin_forms=forms)
    return page.done(request, wave, _("The population margins are saved."))


def _draw(request: ActorRequest, actor: Actor, wave: Any) -> HttpResponse:
    form = DrawForm(request.POST)
    if not form.is_valid():
        return page.invalid(request, wave, draw_form=form)
    points = sampling_services.draw_start_points(actor, wave=wave, per_point=form.cleaned_data["per_point"])
    return page.done(
        request,
        wave,
        ngettext(
            "%(count)s start point is drawn from the wave's seed.",
            "%(count)s start points are drawn from the wave's seed.",
            len(points),
        )
        % {"count": len(points)},
    )


def _open(request: ActorRequest, actor: Actor, wave: Any) -> HttpResponse:
    services.open_wave(actor, wave=wave)
    return page.done(request, wave, _("The wave is open: responses count for it now."))


def _close(request: ActorRequest, actor: Actor, wave: Any) -> HttpResponse:
    services.close_wave(actor, wave=wave)
    return page.done(request, wave, _("The wave is closed for good."))


def _delete(request: ActorRequest, actor: Actor, wave: Any) -> HttpResponse:
    services.delete_wave(actor, wave=wave)
    messages.success(request, _("The wave is deleted."))
    return redirect("surveys:waves")


wave_step = staff_required(
    require_POST(
        page.act_view(
            {
                "allocate": form_step(
                    page,
                    "allocate_form",
                    AllocateForm,
                    services.allocate_targets,
                    "wave",
                    success=gettext_lazy("The interviews are shared between the sectors."),
                ),
                "targets": _targets,
                "margins": _margins,
                "draw": _draw,
                "open": _open,
                "close": _close,
                "delete": _delete,
            }
        )
    )
)


# --- the interviewers' sheets -------------------------------------------------------------------------


def _sheets(request: ActorRequest, wave_id: int, unit_id: int) -> tuple[Any, Any, str, list[Any]]:
    actor = request.actor
    wave = selectors.get_wave(actor, wave_id)
    unit = selectors.get_sheet_unit(actor, wave, unit_id)
    form = SheetLanguageForm(request.GET or None)
    language = form.cleaned_data["lang"] if form.is_valid() else (translation.get_language() or "sq")
    return wave, unit, language, selectors.list_sheets(wave, unit)


@staff_required
@require_safe
def sheets(request: ActorRequest, wave_id: int, unit_id: int) -> HttpResponse:
    """The sheets of a sector or a station as a page to print."""
    wave, unit, language, found = _sheets(request, wave_id, unit_id)
    with translation.override(language):
        texts = sheet_texts()
    context = {
        "wave": wave,
        "unit": unit,
        "sheets": found,
        "language": language,
        "texts": texts,
        "form": SheetLanguageForm(initial={"lang": language}),
    }
    return render(request, "surveys/waves/sheets.html", context)


@staff_required
@require_safe
def sheets_pdf(request: ActorRequest, wave_id: int, unit_id: int) -> HttpResponse:
    """The sheets of a sector or a station as a PDF."""
    wave, unit, language, found = _sheets(request, wave_id, unit_id)
    from ..pdf import sheets as pdf  # fpdf2 is heavy to import: only when a PDF is asked for

    body = pdf.render_sheets(wave, unit, found, language=language)
    return attachment(
        HttpResponse(body, content_type="application/pdf"), f"wave-{wave.pk}-{unit.code}-sheets.pdf"
    )
