"""What the training pages share: the national "manage" check that guards
every write on trainers, programmes and study visits, and the steps posted
on a record's page (add, remove, upload, change)."""

from collections.abc import Callable
from typing import TypeVar

from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from cpis.core.views import run_action
from cpis.organisation.access import Actor, ActorRequest

from .. import selectors
from ..policy import policy

R = TypeVar("R")


def require_manage(actor: Actor) -> None:
    """Trainers, programmes and study visits are national records: 404 for
    those who see no training at all, 403 for those who see but may not manage."""
    policy.require_anywhere(actor, "manage", at=selectors.root_path())


def run_step(
    request: ActorRequest,
    steps: dict[str, Callable[[ActorRequest, Actor, R], HttpResponse]],
    record: R,
    url: Callable[[R], str],
) -> HttpResponse:
    """The step named by the posted `action` on a record's page; a broken rule
    comes back to the record's page (`url`) as a message."""
    return run_action(
        request,
        steps,
        request.POST.get("action", ""),
        request.actor,
        record,
        on_error=lambda _request, r: redirect(url(r)),
    )


def posted_id(request: ActorRequest, name: str) -> int:
    """A record's id posted in the field `name`; 404 when it is not a number."""
    value = request.POST.get(name, "")
    if not (value.isascii() and value.isdigit()):
        raise Http404(_("Not found."))
    return int(value)
