"""One gate for the second factor (docs/decisions/0013): a signed-in session
that has not given its second factor, or must still set one up, reaches public
pages and the second-factor pages only. Everything else, staff pages and the
Django admin alike, sends it to the step it owes; the JSON API has its own
gate (`api_auth.SessionAuth` refuses such a session)."""

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django_htmx.http import HttpResponseClientRedirect

from cpis.core.http import OutsidePlace
from cpis.core.views import ACCESS_ATTRIBUTE

from . import policy, selectors
from .audit import Restricted, log_refusal
from .models import Outcome

# A view marked with the step it serves (`policy.VERIFY` or `policy.ENROL`) is open to
# a session that owes that step; `views.access.second_factor_step` marks them.
STEP_ATTRIBUTE = "cpis_second_factor_step"
STEP_PAGES = {policy.VERIFY: "accounts:second_factor", policy.ENROL: "accounts:second_factor_setup"}
API_PREFIX = "/api/"


class SecondFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: Callable[..., Any], args: object, kwargs: object
    ) -> HttpResponse | None:
        if getattr(view, ACCESS_ATTRIBUTE, None) == "public" or request.path_info.startswith(API_PREFIX):
            return None
        step = selectors.owes_second_factor(request)
        if step is None or getattr(view, STEP_ATTRIBUTE, None) == step:
            return None
        return send_to(request, STEP_PAGES[step], where_the_user_is(request))


def send_to(request: HttpRequest, url_name: str, next_url: str) -> HttpResponse:
    """A redirect to a second-factor page that comes back to `next_url`; for an
    htmx request, the header that makes htmx load the page in full."""
    url = f"{reverse(url_name)}?{urlencode({'next': next_url})}"
    if getattr(request, "htmx", False):
        return HttpResponseClientRedirect(url)
    return HttpResponseRedirect(url)


def where_the_user_is(request: HttpRequest) -> str:
    """The page to come back to: the one asked for, or for a form's POST or an
    htmx swap the page it was sent from (a POST cannot be replayed by a redirect)."""
    htmx = getattr(request, "htmx", None)
    if request.method == "GET" and not htmx:
        return request.get_full_path()
    sent_from = (htmx.current_url if htmx else None) or request.headers.get("Referer", "")
    return safe_next(request, sent_from)


def safe_next(request: HttpRequest, url: str | None, default: str = "") -> str:
    """`url` as a path on this site, or `default` when it points anywhere else."""
    if not url or not url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return default or resolve_url(settings.LOGIN_REDIRECT_URL)
    parts = urlsplit(url)
    if not parts.path.startswith("/"):
        # A relative or bare value ("9999-12-31", "login") is no page of this site;
        # `redirect` would even try it as a view name.
        return default or resolve_url(settings.LOGIN_REDIRECT_URL)
    return parts.path + (f"?{parts.query}" if parts.query else "")


class RefusalLogMiddleware:
    """Writes a refused attempt at a record by a signed-in user to the access
    log: a record outside the user's places (a 404 that `OutsidePlace` marks)
    or one the user's role may not touch there (a 403). The data-protection
    officer's alerts count them; the answer stays the same 404 or 403."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> None:
        log_refused(request, exception)


def log_refused(request: HttpRequest, exception: Exception) -> None:
    """Log `exception` as a refused attempt when it is one and the user is
    signed in (the JSON API's handlers call this too)."""
    user = getattr(request, "auth", None) or getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return
    if isinstance(exception, OutsidePlace):
        subject_type, subject_id, outcome = exception.subject_type, exception.subject_id, Outcome.OUTSIDE
    elif isinstance(exception, PermissionDenied) and not isinstance(exception, Restricted):
        subject_type, subject_id, outcome = "", "", Outcome.REFUSED
    else:
        return
    log_refusal(
        user_id=user.pk, subject_type=subject_type, subject_id=subject_id, outcome=outcome, request=request
    )
