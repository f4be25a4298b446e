"""What the forums' pages share: who may manage where, the forum a form page
writes to, and one-step actions whose broken rule is flashed."""

from collections.abc import Callable

from django.contrib import messages
from django.http import HttpRequest
from django.urls import reverse

from cpis.core.errors import DomainError
from cpis.organisation.access import Actor

from .. import selectors
from ..models import Forum
from ..policy import policy

SIMPLE_FORM = "forums/simple_form.html"


def may_manage(actor: Actor, path: str) -> bool:
    return policy.can(actor, "manage", path)


def under(path: str, tops: list[str]) -> bool:
    return any(path.startswith(top) for top in tops)


def managed_forum(actor: Actor, forum_id: int) -> Forum:
    """The forum a form page writes to: 404 when not visible, 403 when not the actor's to manage."""
    forum = selectors.get_forum(actor, forum_id)
    policy.require(actor, "manage", forum.unit_path)
    return forum


def forum_url(forum: Forum) -> str:
    return reverse("forums:detail", args=[forum.pk])


def flash_step(request: HttpRequest, step: Callable[[], object], *, success: str) -> bool:
    """Run a one-step action (a button, not a form page): a broken rule is
    flashed as an error, otherwise `success`; True when it ran."""
    try:
        step()
    except DomainError as exc:
        messages.error(request, str(exc))
        return False
    messages.success(request, success)
    return True
