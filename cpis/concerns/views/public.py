"""Public pages of concerns: recent public reports on a map and in a list
(at approximate places, with the summary an officer approved), the "me too"
fragment of the report form, supporting a report, and a published photo.
Nothing here reads a reporter's words, contact or exact point."""

from typing import Any

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from cpis.core import pow, ratelimit
from cpis.core.errors import DomainError
from cpis.core.http import client_ip
from cpis.core.images import sanitise_image
from cpis.core.views import public
from cpis.organisation.access import ActorRequest

from .. import selectors, services
from ..forms import NearbyForm, PublicReportFilterForm, SupportForm

# The session says a browser saw the "me too" choices: a support needs it, so
# that a client refusing cookies cannot count once per request.
SUPPORT_SESSION_KEY = "concerns_me_too"


def _filtered(request: ActorRequest) -> tuple[PublicReportFilterForm, list[selectors.PublicReport]]:
    form = PublicReportFilterForm(request.GET or None, sectors=selectors.list_public_report_sectors())
    data = form.cleaned_data if form.is_valid() else {}
    reports = selectors.list_public_reports(
        category_code=data.get("category") or "", sector_id=data.get("sector")
    )
    return form, reports


def _feature(report: selectors.PublicReport) -> dict[str, Any]:
    return {
        "type": "Feature",
        "id": report.reference,
        "geometry": {"type": "Point", "coordinates": [report.lon, report.lat]},
        "properties": {
            "reference": report.reference,
            "category": report.category,
            "category_code": report.category_code,
            "status": report.status,
            "status_label": report.status_label,
            "is_open": report.is_open,
            "received": report.created_at.date().isoformat(),
            "updated": report.updated_at.date().isoformat(),
            "closed": report.closed_at.date().isoformat() if report.closed_at else None,
            "summary": report.summary,
            "supporters": report.support_count,
            "sector": report.sector,
        },
    }


def _collection(reports: list[selectors.PublicReport]) -> dict[str, Any]:
    return {
        "type": "FeatureCollection",
        "features": [_feature(r) for r in reports if r.lat is not None and r.lon is not None],
    }


@public
@require_GET
def reports(request: ActorRequest) -> HttpResponse:
    """Recent public reports on a map and in a list, filtered by category and sector."""
    form, found = _filtered(request)
    context = {
        "form": form,
        "reports": found,
        "collection": _collection(found),
        "days": selectors.PUBLIC_DAYS,
        "query_string": request.GET.urlencode(),
    }
    status = 400 if form.is_bound and not form.is_valid() else 200
    return render(request, "concerns/public/reports.html", context, status=status)


@public
@require_GET
def reports_geojson(request: ActorRequest) -> JsonResponse:
    """The same reports as GeoJSON, at the same approximate points."""
    form, found = _filtered(request)
    if form.is_bound and not form.is_valid():
        return JsonResponse({"errors": form.errors.get_json_data()}, status=400)
    return JsonResponse(_collection(found), json_dumps_params={"ensure_ascii": False})


@public
@require_GET
def nearby(request: ActorRequest) -> HttpResponse:
    """The report form's "me too" fragment: open public reports of the chosen
    category near the chosen point, each with a form to support it."""
    form = NearbyForm(request.GET)
    found: list[selectors.PublicReport] = []
    if form.is_valid():
        data = form.cleaned_data
        found = selectors.list_nearby_public(category_code=data["category"], lat=data["lat"], lon=data["lon"])
    if found:
        request.session[SUPPORT_SESSION_KEY] = True
    context = {
        "reports": found,
        "support_form": SupportForm(),
        "pow_challenge": pow.new_challenge() if found else None,
        "metres": selectors.NEARBY_METRES,
    }
    response = render(request, "concerns/public/nearby.html", context)
    response["Cache-Control"] = "private, no-store"
    return response


@public
@require_POST
def support(request: ActorRequest, reference: str) -> HttpResponse:
    """ "Me too" on a public open report, instead of a duplicate report: the
    rate limit and the proof of work of a submission, then one count per
    person. Bad input changes nothing."""
    form = SupportForm(request.POST)
    status, error = 400, ""
    result: services.Support | None = None
    if not form.is_valid():
        error = _("The e-mail address is not valid.")
    elif not ratelimit.hit(
        "support", client_ip(request), limit=settings.SUBMISSION_LIMIT_PER_HOUR, window_seconds=3600
    ):
        status, error = 429, _("Too many requests from your connection. Try again in an hour.")
    elif not pow.verify(form.cleaned_data["pow"]):
        error = _("The security check failed. Reload the page and try again.")
    elif not request.session.get(SUPPORT_SESSION_KEY) or not request.session.session_key:
        error = _("Your browser must accept cookies to support a report. Allow them and try again.")
    else:
        try:
            result = services.support_concern(
                reference=reference.upper(),
                session_key=request.session.session_key,
                email=form.cleaned_data["email"],
            )
        except DomainError as exc:
            status, error = exc.status_code, str(exc)
    if result is None:
        return render(request, "concerns/public/supported.html", {"error": error}, status=status)
    return render(request, "concerns/public/supported.html", {"support": result})


@public
@require_GET
def photo(request: ActorRequest, reference: str) -> HttpResponse:
    """A public report's photo, when the officer published it: re-encoded
    from its pixels on the way out, so no metadata leaves even for photos
    stored before images were cleaned on arrival."""
    concern = selectors.get_public_photo(reference.upper())
    with concern.photo.open("rb") as stored:
        data, extension = sanitise_image(stored.read())
    response = HttpResponse(data, content_type="image/png" if extension == ".png" else "image/jpeg")
    response["X-Content-Type-Options"] = "nosniff"
    # Short: a withdrawn photo should not outlive its approval for long in caches.
    response["Cache-Control"] = "public, max-age=300"
    return response


@public
def answer(request: ActorRequest, token: str) -> HttpResponse:
    """ "Is it resolved?" — the reporter's answer after a concern was closed as
    resolved, from the signed link of the closing e-mail: the question on GET,
    the answer on POST (a GET never changes anything). Not resolved within four
    weeks reopens the concern."""
    context: dict[str, Any] = {"token": token}
    status = 200
    try:
        context["concern"] = services.concern_for_token(token)
    except DomainError as exc:
        return render(request, "concerns/public/answer.html", {"error": str(exc)}, status=exc.status_code)
    if request.method == "POST":
        choice = request.POST.get("resolved")
        if choice not in ("yes", "no"):
            context["error"] = _("Choose whether the problem is resolved.")
            status = 400
        else:
            try:
                context["answer"] = services.answer_closure(token=token, resolved=choice == "yes")
            except DomainError as exc:
                context["error"], status = str(exc), exc.status_code
    return render(request, "concerns/public/answer.html", context, status=status)
