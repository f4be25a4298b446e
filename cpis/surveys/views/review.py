"""The station's review of survey responses at its places: the held ones,
each with why it was held, counted or set aside with a reason; free text
cleared for release or withheld; every decision with who and when. And the
paper questionnaires: a wave's XLSX template, and a keyed-in workbook
imported whole or not at all, every bad cell listed."""

from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from cpis.core.errors import DomainError, InvalidInput
from cpis.core.exports import attachment
from cpis.core.forms import paginate, query_without_page
from cpis.core.views import RecordPage
from cpis.organisation.access import Actor, ActorRequest, staff_required

from .. import workbook
from ..forms.responses import NoteForm, PaperUploadForm, PaperWaveForm, ReasonForm
from ..policy import policy
from ..selectors import responses as selectors
from ..services import paper as paper_services
from ..services import review as services
from .common import form_step

# --- what waits for review ------------------------------------------------------------------


@staff_required
def review_list(request: ActorRequest) -> HttpResponse:
    """The held responses (or, with ?show=text, the free text waiting) at the actor's places."""
    actor = request.actor
    policy.require_anywhere(actor, "review")
    show = "text" if request.GET.get("show") == "text" else "held"
    rows = selectors.list_text_pending(actor) if show == "text" else selectors.list_held(actor)
    page = paginate(request, rows)
    context = {
        "show": show,
        "page": page,
        "rows": [(response, selectors.hold_reasons(response)) for response in page],
        "counts": selectors.count_to_review(actor),
        "query_string": query_without_page(request.GET),
    }
    return render(request, "surveys/review/list.html", context)


def _context(request: ActorRequest, response: Any) -> dict[str, Any]:
    return {
        "response": response,
        "answers": selectors.answer_rows(response),
        "reasons": selectors.hold_reasons(response),
        "decisions": selectors.list_decisions(response),
        "accept_form": NoteForm(),
        "reject_form": ReasonForm(),
        "clear_form": NoteForm(),
        "withhold_form": ReasonForm(),
    }


page = RecordPage("surveys:response", selectors.get_response, "surveys/review/response.html", _context)
response_detail = staff_required(page.view())


def _accept(request: ActorRequest, actor: Actor, response: Any) -> HttpResponse:
    form = NoteForm(request.POST)
    if not form.is_valid():
        return page.invalid(request, response, accept_form=form)
    had_device = bool(response.device)
    accepted = services.accept_response(actor, response=response, note=form.cleaned_data["note"])
    message = _("The response is counted.")
    if had_device and not accepted.device:
        message = _(
            "The response is counted. Another response from the same device is counted in this wave, "
            "so this one's link to the device was cleared."
        )
    return page.done(request, response, message)


response_step = staff_required(
    require_POST(
        page.act_view(
            {
                "accept": _accept,
                "reject": form_step(
                    page,
                    "reject_form",
                    ReasonForm,
                    services.reject_response,
                    "response",
                    success=gettext_lazy("The response is kept but not counted."),
                ),
                "clear": form_step(
                    page,
                    "clear_form",
                    NoteForm,
                    services.clear_text,
                    "response",
                    success=gettext_lazy("The free text is cleared for release."),
                ),
                "withhold": form_step(
                    page,
                    "withhold_form",
                    ReasonForm,
                    services.withhold_text,
                    "response",
                    success=gettext_lazy("The free text is withheld: it will never be exported."),
                ),
            }
        )
    )
)


# --- paper questionnaires -------------------------------------------------------------------


@staff_required
def paper(request: ActorRequest) -> HttpResponse:
    """Choose a survey, download its template, upload the keyed-in workbook."""
    actor = request.actor
    policy.require_anywhere(actor, "review")
    waves = selectors.list_paper_waves(actor)
    source = request.POST if request.method == "POST" else request.GET
    chosen = PaperWaveForm(source or None, waves=waves)
    wave = chosen.cleaned_data["wave"] if chosen.is_valid() else waves.first()
    upload = PaperUploadForm(request.POST or None, request.FILES or None)
    context: dict[str, Any] = {"wave_form": PaperWaveForm(initial={"wave": wave}, waves=waves), "wave": wave}
    status = 200
    if request.method == "POST":
        status = 400
        if wave is not None and upload.is_valid():
            file = upload.cleaned_data["file"]
            try:
                if file.size > workbook.MAX_BYTES:
                    raise InvalidInput(_("The file is larger than 10 MB."))
                content = file.read()
                result = paper_services.import_paper(
                    actor,
                    wave=wave,
                    sheet=workbook.read_paper(content),
                    file_hash=paper_services.file_hash(content),
                )
            except paper_services.PaperRejected as exc:
                upload.add_error(None, str(exc))
                context["errors"] = exc.errors
            except DomainError as exc:
                upload.add_error(None, str(exc))
            else:
                messages.success(request, _summary(result))
                return redirect(f"{reverse('surveys:paper')}?wave={wave.pk}")
    context["upload_form"] = upload if request.method == "POST" else PaperUploadForm()
    return render(request, "surveys/review/paper.html", context, status=status)


def _summary(result: paper_services.Imported) -> str:
    text = ngettext(
        "%(count)s questionnaire imported.", "%(count)s questionnaires imported.", result.created
    ) % {"count": result.created}
    if result.held:
        text += " " + ngettext(
            "%(count)s of them is held for review.", "%(count)s of them are held for review.", result.held
        ) % {"count": result.held}
    if result.already:
        text += " " + ngettext(
            "%(count)s row of this file had been imported before and was not added again.",
            "%(count)s rows of this file had been imported before and were not added again.",
            result.already,
        ) % {"count": result.already}
    return text


@staff_required
def paper_template(request: ActorRequest, wave_id: int) -> HttpResponse:
    """The wave's XLSX template for keying in paper questionnaires."""
    wave = selectors.get_paper_wave(request.actor, wave_id)
    response = HttpResponse(workbook.paper_template(wave), content_type=workbook.CONTENT_TYPE)
    return attachment(response, f"survey-{wave.pk}-paper.xlsx")
