"""Marks on views for the second factor: the steps a session that owes one may
still open, and a fresh second factor before the most sensitive reads; and the
question why before a sensitive record opens."""

from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Any, TypeVar

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from cpis.core.errors import DomainError
from cpis.core.views import mark_guarded

from .. import audit, selectors
from ..middleware import STEP_ATTRIBUTE, send_to, where_the_user_is

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

V = TypeVar("V", bound=Callable[..., HttpResponse])


def second_factor_step(step: str | None) -> Callable[[V], V]:
    """A page of the second factor, for signed-in users (anonymous ones go to
    sign in). `step` (`policy.VERIFY` or `policy.ENROL`) lets a session that
    owes that step open it; None keeps it for sessions that owe nothing."""

    def mark(view: V) -> V:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            return view(request, *args, **kwargs)

        setattr(wrapper, STEP_ATTRIBUTE, step)
        return mark_guarded(wrapper, "staff")  # type: ignore[return-value]

    return mark


def fresh_second_factor(view: V) -> V:
    """Revealing a person's contact, opening a complaint, changing one's own
    second factors: a user who has a second factor gives it again when the last
    time is older than MFA_FRESH_SECONDS, and comes back here (to the page the
    form was on, for a POST). Put it below `staff_required`."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if selectors.second_factor_is_fresh(request):
            return view(request, *args, **kwargs)
        messages.info(request, _("This step needs your second factor again."))
        return send_to(request, "accounts:second_factor", where_the_user_is(request))

    return wrapper  # type: ignore[return-value]


def purpose_required(
    subject_type: str, kind: "StrOrPromise", *, back: str, get: Callable[[Any, int], object]
) -> Callable[[V], V]:
    """A page that shows a sensitive record (`subject_type`, named `kind` to
    the reader) opens only with a purpose: without one declared for the record
    (the number in the URL) within PURPOSE_SECONDS, the page asks why first;
    its answer, posted to the same address, is remembered for the record and
    the page follows. `get(actor, id)` (a selector that does not log) finds
    the record first, so that a record the reader may not see answers 404 as
    before. `back` (a URL name) is where "Cancel" goes. Put it below
    `staff_required` and `fresh_second_factor`."""

    def mark(view: V) -> V:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            (record_id,) = [value for value in kwargs.values() if isinstance(value, int)]
            get(request.actor, record_id)  # type: ignore[attr-defined]
            if request.method == "POST":
                try:
                    why = audit.purpose_from(request.POST)
                    if why is None:
                        raise audit.PurposeRequired
                except DomainError as error:
                    return _ask(request, subject_type, record_id, kind, back, error=str(error), status=400)
                audit.declare(request, subject_type, record_id, why)
                return redirect(request.path)
            if audit.declared(request, subject_type, record_id) is None:
                return _ask(request, subject_type, record_id, kind, back)
            return view(request, *args, **kwargs)

        return wrapper  # type: ignore[return-value]

    return mark


def _ask(
    request: HttpRequest,
    subject_type: str,
    record_id: int,
    kind: "StrOrPromise",
    back: str,
    *,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    context = {
        "subject_type": subject_type,
        "subject_id": record_id,
        "kind": kind,
        "back": reverse(back),
        "error": error,
    }
    return render(request, "accounts/purpose.html", context, status=status)
