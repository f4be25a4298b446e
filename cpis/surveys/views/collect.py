"""Officers and forum facilitators taking responses on a phone: choose the
survey, the sector (the officer's own by default) and where — at a door, a
forum meeting or an outreach event, with the meeting or event — then enter
one respondent's answers after another: after each save the same page
comes back empty for the next respondent."""

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from cpis.core.errors import DomainError
from cpis.core.forms import form_status
from cpis.core.htmx import template_for, vary_on_htmx
from cpis.organisation.access import ActorRequest, staff_required

from ..forms.responses import CollectAnswersForm, CollectSetupForm, EventForm
from ..policy import policy
from ..selectors import questionnaires
from ..selectors import responses as selectors
from ..services import responses as services


def _pick(rows: Any, given: str | None, fallback: Any = None) -> Any:
    """The row of `rows` numbered `given`, else `fallback`, else the first."""
    if given and given.isdecimal():
        found = rows.filter(pk=int(given)).first()
        if found is not None:
            return found
    return fallback if fallback is not None else rows.first()


@staff_required
def setup(request: ActorRequest) -> HttpResponse:
    """Where the responses are being taken. Changing the survey or the sector
    narrows the other choices (htmx, or the form sent without a script)."""
    actor = request.actor
    policy.require_anywhere(actor, "collect")
    waves = selectors.list_collect_waves(actor)
    wave = _pick(waves, request.GET.get("wave"))
    if wave is None:
        return render(request, "surveys/collect/setup.html", {"form": None})
    sectors = selectors.list_wave_sectors(wave, actor, "collect")
    sector = _pick(sectors, request.GET.get("sector"), selectors.default_sector(actor, sectors))
    bound = request.GET if "start" in request.GET else None
    form = CollectSetupForm(
        bound,
        initial={"wave": wave, "sector": sector, "channel": "door"},
        waves=waves,
        sectors=sectors,
        meetings=selectors.list_recent_meetings(sector),
        outreach=selectors.list_recent_outreach(sector),
    )
    if bound is not None and form.is_valid():
        data = form.cleaned_data
        query = {"channel": data["channel"]}
        if data["channel"] == "meeting":
            query["meeting"] = data["meeting"].pk
        elif data["channel"] == "outreach":
            query["outreach"] = data["outreach"].pk
        url = reverse("surveys:collect_answers", args=[data["wave"].pk, data["sector"].pk])
        return redirect(f"{url}?{urlencode(query)}")
    if bound is None and request.GET:
        # The survey or sector changed: keep what was chosen, narrow the rest.
        form.initial.update(
            {
                "channel": request.GET.get("channel", "door"),
                "meeting": request.GET.get("meeting"),
                "outreach": request.GET.get("outreach"),
            }
        )
    template = template_for(request, "surveys/collect/setup.html", "setup")
    status = 400 if bound is not None else 200
    return vary_on_htmx(render(request, template, {"form": form}, status=status))


@staff_required
def answers(request: ActorRequest, wave_id: int, sector_id: int) -> HttpResponse:
    """One respondent's answers; saved, the page comes back empty for the next."""
    actor = request.actor
    wave = selectors.get_collect_wave(actor, wave_id)
    sector = selectors.get_collect_sector(actor, wave, sector_id)
    policy.require(actor, "collect", sector.path)
    event = EventForm(request.GET)
    if not event.is_valid():
        return redirect(f"{reverse('surveys:collect')}?wave={wave.pk}&sector={sector.pk}")
    channel = event.cleaned_data["channel"]
    meeting = outreach = None
    if channel == "meeting":
        meeting = selectors.list_recent_meetings(sector).filter(pk=event.cleaned_data["meeting"] or 0).first()
    elif channel == "outreach":
        outreach = (
            selectors.list_recent_outreach(sector).filter(pk=event.cleaned_data["outreach"] or 0).first()
        )
    if channel != "door" and meeting is None and outreach is None:
        messages.error(request, _("Choose the forum meeting or the outreach event again."))
        return redirect(f"{reverse('surveys:collect')}?wave={wave.pk}&sector={sector.pk}&channel={channel}")
    form = CollectAnswersForm.for_request(
        request,
        questions=questionnaires.list_questions(wave.version),
        municipalities=selectors.list_municipalities(),
    )
    if form.is_bound and form.is_valid():
        try:
            recorded = services.record_response(
                actor,
                channel=channel,
                idempotency_key=f"collect:{form.cleaned_data['submission_key']}",
                answers=form.answers(),
                wave_id=wave.pk,
                sector_id=sector.pk,
                language=form.cleaned_data["language"],
                meeting_id=meeting.pk if meeting else None,
                outreach_id=outreach.pk if outreach else None,
                **form.background(),
            )
        except DomainError as exc:
            form.refuse(exc)
        else:
            messages.success(
                request,
                _("These answers were saved already. Ready for the next respondent.")
                if recorded.replayed
                else _("Saved. Ready for the next respondent."),
            )
            return redirect(request.get_full_path())
    context = {
        "form": form,
        "wave": wave,
        "version": wave.version,
        "sector": sector,
        "channel": channel,
        "meeting": meeting,
        "outreach": outreach,
        "taken_today": selectors.count_entered_today(actor, wave, sector),
        "staff": True,
    }
    return render(request, "surveys/collect/answers.html", context, status=form_status(request))
