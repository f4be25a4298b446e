"""The citizens' side of the surveys, anonymous and in their language: find
your sector by place name or on the map, the open surveys there, answer one
(phone first, background questions optional, no names), thank you; and the
questionnaire after a concern, opened from the link in its invitation.

One response per device and wave: the browser keeps a random id in a signed
cookie and the response keeps only a keyed hash of it, different in each
wave. A second response from the same browser is held for a person to
check, never dropped; a replayed POST gets the same thank-you."""

import secrets
from typing import Any

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from cpis.core import idempotency, pow, ratelimit
from cpis.core.errors import DomainError
from cpis.core.forms import form_status
from cpis.core.http import client_ip, retry_later
from cpis.core.views import public
from cpis.organisation import selectors as organisation
from cpis.organisation.access import ActorRequest

from ..forms.responses import AnswersForm, LocateForm, PlaceSearchForm, PortalAnswersForm
from ..selectors import questionnaires, waves
from ..selectors import responses as selectors
from ..services import responses as services

DEVICE_COOKIE = "cpis_survey_device"
DEVICE_SALT = "cpis.surveys.device"
DEVICE_MAX_AGE = 400 * 24 * 3600  # the longest browsers keep a cookie
INVITATION_SESSION_KEY = "survey_invitation"


# --- finding the surveys of a place ---------------------------------------------------------


@public
def index(request: ActorRequest) -> HttpResponse:
    """Where do you live? A place's name, or a point on the map, gives the
    sector; then its open surveys."""
    locate = LocateForm(request.GET if "lat" in request.GET else None)
    status = 200
    error = ""
    if locate.is_bound:
        sector = None
        if locate.is_valid():
            sector = organisation.locate_sector(
                lat=locate.cleaned_data["lat"], lon=locate.cleaned_data["lon"]
            )
        if sector is not None:
            return redirect("surveys_public:sector", sector_id=sector.pk)
        error = (
            _("No sector covers this point. Mark a place inside Kosovo on the map.")
            if locate.is_valid()
            else _("Mark where you live on the map first, then use the place.")
        )
        status = 400
    search = PlaceSearchForm(request.GET if "q" in request.GET else None)
    places = organisation.search_places(search.cleaned_data["q"]) if search.is_valid() else []
    context = {
        "search": search,
        "locate": LocateForm(),
        "places": places,
        "searched": search.is_bound,
        "error": error,
    }
    return render(request, "surveys/public/index.html", context, status=status)


@public
def sector(request: ActorRequest, sector_id: int) -> HttpResponse:
    """The surveys open now in a sector."""
    place = selectors.get_public_sector(sector_id)
    return render(
        request,
        "surveys/public/sector.html",
        {"sector": place, "waves": waves.list_open_waves(place)},
    )


# --- answering a wave's questionnaire ----------------------------------------------------


def _device_id(request: ActorRequest) -> tuple[str, bool]:
    """(this browser's random id, whether it is new and must be set)."""
    found = request.get_signed_cookie(DEVICE_COOKIE, default=None, salt=DEVICE_SALT, max_age=DEVICE_MAX_AGE)
    if found:
        return str(found), False
    return secrets.token_urlsafe(18), True


def _keep_device(response: HttpResponse, device_id: str) -> HttpResponse:
    response.set_signed_cookie(
        DEVICE_COOKIE,
        device_id,
        salt=DEVICE_SALT,
        max_age=DEVICE_MAX_AGE,
        path="/surveys/",
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
    return response


def _gate(request: ActorRequest, form: PortalAnswersForm, key: str) -> int:
    """The per-client limit (429) and, when the browser solved one, a valid
    unspent proof of work (400) — unless this is a replay of a submission
    already recorded, which gets its thank-you again. The refusal status, or 0."""
    if not ratelimit.hit(
        "survey", client_ip(request), limit=settings.SUBMISSION_LIMIT_PER_HOUR, window_seconds=3600
    ):
        form.add_error(None, _("Too many answers from your connection. Try again in an hour."))
        return 429
    proof = form.cleaned_data["pow"]
    if proof and not pow.verify(proof) and not selectors.already_recorded(key):
        form.add_error(None, _("The security check failed. Reload the page and send the form again."))
        return 400
    return 0


def _refused(form: AnswersForm, exc: DomainError) -> int:
    form.refuse(exc)
    # A broken rule answers 400, but a submission still in flight (409, try again).
    return 409 if isinstance(exc, idempotency.SubmissionInProgress) else 400


@public
def answer(request: ActorRequest, wave_id: int, sector_id: int) -> HttpResponse:
    """A wave's questionnaire for a sector. The page carries a one-time
    submission key, so a double tap or a resent POST gives the same
    thank-you, never a second response."""
    place = selectors.get_public_sector(sector_id)
    wave = waves.get_open_wave(wave_id, place)
    device_id, new_device = _device_id(request)
    device = services.device_of(device_id, wave.pk)
    form = PortalAnswersForm.for_request(
        request,
        questions=questionnaires.list_questions(wave.version),
        municipalities=selectors.list_municipalities(),
    )
    status, refused_by = form_status(request), None
    if form.is_bound and form.is_valid():
        key = f"portal:{form.cleaned_data['submission_key']}"
        status = _gate(request, form, key)
        if not status:
            try:
                recorded = services.record_response(
                    request.actor,
                    channel="portal",
                    idempotency_key=key,
                    answers=form.answers(),
                    wave_id=wave.pk,
                    sector_id=place.pk,
                    language=get_language(),
                    started_at=form.started_at(),
                    device=device,
                    verified=bool(form.cleaned_data["pow"]),
                    **form.background(),
                )
            except DomainError as exc:
                status, refused_by = _refused(form, exc), exc
            else:
                thanks = render(
                    request,
                    "surveys/public/thanks.html",
                    {"wave": wave, "sector": place, "again": "device" in recorded.response.held_reason},
                )
                return _keep_device(thanks, device_id) if new_device else thanks
    context = {
        "form": form,
        "wave": wave,
        "version": wave.version,
        "sector": place,
        "answered_before": selectors.device_answered(wave, device),
        "pow_challenge": pow.new_challenge(),
    }
    page = render(request, "surveys/public/answer.html", context, status=status)
    if refused_by is not None and status == 409:
        retry_later(page, refused_by)
    return _keep_device(page, device_id) if new_device else page


# --- the questionnaire after a concern ---------------------------------------------------------


def _invitation_page(request: ActorRequest, state: str) -> HttpResponse:
    status = {"unknown": 404, "expired": 410}.get(state, 200)
    return render(request, "surveys/public/invitation_state.html", {"state": state}, status=status)


@public
def invitation(request: ActorRequest, token: str) -> HttpResponse:
    """The link of an invitation: the token goes into this browser's session
    and out of the address bar; the questionnaire opens in the citizen's
    language unless they chose one on this site."""
    found = selectors.find_invitation(token)
    state = selectors.invitation_state(found)
    if found is None or state != "open":
        return _invitation_page(request, state)
    request.session[INVITATION_SESSION_KEY] = token
    response = redirect("surveys_public:after_concern")
    if settings.LANGUAGE_COOKIE_NAME not in request.COOKIES:
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            found.concern.language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            samesite="Lax",
        )
    return response


@public
def after_concern(request: ActorRequest) -> HttpResponse:
    """The after-concern questionnaire of the invitation this browser opened.
    A resent POST gets the same thank-you; a used or expired link says so."""
    token = str(request.session.get(INVITATION_SESSION_KEY, ""))
    found = selectors.find_invitation(token)
    if found is None:
        return _invitation_page(request, "unknown")
    state = selectors.invitation_state(found)
    if request.method != "POST" and state != "open":
        return _invitation_page(request, state)
    form = AnswersForm.for_request(
        request,
        questions=questionnaires.list_questions(found.version),
        municipalities=selectors.list_municipalities(),
    )
    status = form_status(request)
    if form.is_bound and form.is_valid():
        try:
            services.record_response(
                request.actor,
                channel="after_concern",
                idempotency_key=f"after:{form.cleaned_data['submission_key']}",
                answers=form.answers(),
                invitation_token=token,
                language=get_language(),
                started_at=form.started_at(),
                **form.background(),
            )
        except (services.InvitationUsed, services.InvitationExpired, services.InvitationUnknown):
            return _invitation_page(request, selectors.invitation_state(selectors.find_invitation(token)))
        except DomainError as exc:
            status = _refused(form, exc)
        else:
            return render(request, "surveys/public/thanks.html", {"after_concern": True})
    context: dict[str, Any] = {"form": form, "version": found.version, "after_concern": True}
    return render(request, "surveys/public/answer.html", context, status=status)
