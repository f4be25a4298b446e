"""Marks on views for the second factor: the steps a session that owes one may
still open, and a fresh second factor before the most sensitive reads."""

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from cpis.core.views import mark_guarded

from .. import selectors
from ..middleware import STEP_ATTRIBUTE, send_to, where_the_user_is

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
