"""Reads of the inbox: a person's own notifications only, and who holds a
role over a place (the recipients the triggering apps ask for)."""

from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from cpis.organisation.access import Actor
from cpis.organisation.models import RoleGrant, Unit

from .models import DEFAULT_MODE, Kind, Notification, Preference
from .policy import RECEIVES, kinds_for, require_read


def list_inbox(actor: Actor, *, unread_only: bool = False) -> QuerySet[Notification]:
    """The actor's notifications, newest first."""
    found = (
        Notification.objects.filter(recipient_id=actor.user_id)
        if actor.user_id
        else Notification.objects.none()
    )
    return found.unread() if unread_only else found


def count_unread(actor: Actor) -> int:
    """The badge on the staff bar."""
    if actor.user_id is None:
        return 0
    return Notification.objects.filter(recipient_id=actor.user_id).unread().count()


def get_notification(actor: Actor, notification_id: int) -> Notification:
    """One of the actor's notifications; another person's, like a missing one, is 404."""
    notification = Notification.objects.filter(pk=notification_id).first()
    if notification is None:
        raise Http404(_("Not found."))
    require_read(actor, notification)
    return notification


def modes_for(user_ids: list[int], kind: str) -> dict[int, str]:
    """How each of these users wants this kind of notification."""
    chosen = dict(Preference.objects.filter(user_id__in=user_ids, kind=kind).values_list("user_id", "mode"))
    return {user_id: chosen.get(user_id, DEFAULT_MODE[Kind(kind)]) for user_id in user_ids}


def list_preferences(actor: Actor) -> list[tuple[Kind, str]]:
    """(kind, mode) for each kind the actor's roles can receive."""
    kinds = kinds_for(actor)
    if actor.user_id is None:
        return [(kind, DEFAULT_MODE[kind]) for kind in kinds]
    chosen = dict(Preference.objects.filter(user_id=actor.user_id).values_list("kind", "mode"))
    return [(kind, chosen.get(kind, DEFAULT_MODE[kind])) for kind in kinds]


def holders(roles: frozenset[str] | set[str], path: str) -> QuerySet[Any]:
    """Active users holding one of `roles` at the unit `path` or above it: the
    people whose places take in that place."""
    ancestors = Unit(path=path).ancestor_paths() if path else []
    user_ids = RoleGrant.objects.filter(role__in=sorted(roles), unit__path__in=ancestors).values("user_id")
    return get_user_model().objects.filter(pk__in=user_ids, is_active=True).order_by("pk")


def receivers(kind: str, path: str) -> QuerySet[Any]:
    """Active users over `path` whose roles there receive `kind`."""
    return holders(RECEIVES[kind], path)
