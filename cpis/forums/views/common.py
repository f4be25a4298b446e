"""What the forums' pages share: who may manage where and the forum a form
page writes to."""

from django.urls import reverse

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
