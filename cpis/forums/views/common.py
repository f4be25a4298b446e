"""What the forums' pages share: who may manage where, the check that the
actor manages a forum (or the forum a record belongs to), a place's list
with its filter form, and the page of a forum's record form."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from django import forms
from django.http import HttpResponse
from django.urls import reverse

from cpis.core.forms import form_page, query_without_page
from cpis.core.views import View, on_record
from cpis.organisation.access import Actor, ActorRequest, staff_required

from .. import selectors
from ..models import Forum
from ..policy import policy

SIMPLE_FORM = "forums/simple_form.html"

T = TypeVar("T")
R = TypeVar("R")


def may_manage(actor: Actor, path: str) -> bool:
    return policy.can(actor, "manage", path)


def under(path: str, tops: list[str]) -> bool:
    return any(path.startswith(top) for top in tops)


def manage(actor: Actor, forum: Forum) -> None:
    """A form page writes to a forum the actor manages: 403 otherwise (404 when not visible)."""
    policy.require(actor, "manage", forum.unit_path)


def manage_its_forum(actor: Actor, record: Any) -> None:
    """A record of a forum (a member, a meeting, a press release) is changed
    by those who manage its forum."""
    manage(actor, record.forum)


def managed_forum(view: View) -> View:
    """A staff page that writes to the forum the URL names: 404 when the
    forum is not visible, 403 when it is not the actor's to manage."""
    return staff_required(on_record(selectors.get_forum, check=manage)(view))


def forum_record_views(
    form: Callable[[ActorRequest, Forum, R | None], HttpResponse],
    get: Callable[[Actor, int], R],
) -> tuple[View, View]:
    """The add and edit views of one of a forum's record kinds, from its form
    page `form(request, forum, record)` (the record None for a new one): the
    forum's number or the record's (found by `get`) in the URL, both for
    those who manage the forum."""

    def add(request: ActorRequest, forum: Forum) -> HttpResponse:
        return form(request, forum, None)

    def change(request: ActorRequest, record: R) -> HttpResponse:
        return form(request, record.forum, record)  # type: ignore[attr-defined]

    return managed_forum(add), staff_required(on_record(get, check=manage_its_forum)(change))


def forum_url(forum: Forum) -> str:
    return reverse("forums:detail", args=[forum.pk])


@dataclass(frozen=True)
class PlaceFilter:
    """A place's list: its filter form, what the form asks and the place it chose."""

    form: forms.Form
    data: dict[str, Any]
    place: Any

    @property
    def unit_path(self) -> str:
        return self.place.path if self.place else ""

    def links(self, request: ActorRequest) -> dict[str, str]:
        """The list's query for its pages and exports, and the place's for the other lists."""
        return {
            "query_string": query_without_page(request.GET),
            "unit_query": f"unit={self.place.pk}" if self.place else "",
        }


def place_filter(request: ActorRequest, form_class: Callable[..., forms.Form]) -> PlaceFilter:
    """The filters of a list of a place's records, for those who see forums
    somewhere (404 otherwise): `form_class` offers the actor's places."""
    actor = request.actor
    policy.require_anywhere(actor, "view")
    form = form_class(request.GET or None, units=selectors.list_place_units(actor))
    data = form.cleaned_data if form.is_valid() else {}
    return PlaceFilter(form, data, selectors.get_place(actor, data.get("unit")))


def forum_form(
    request: ActorRequest,
    forum: Forum,
    form: forms.BaseForm,
    save: Callable[[dict[str, Any]], T],
    *,
    success: str,
    template: str = SIMPLE_FORM,
    then: Callable[[T], str] | None = None,
    **context: Any,
) -> HttpResponse:
    """The form page of one of a forum's records: `template` (by default the
    simple form with its `title`) with the forum; a saved record goes back to
    the forum's page unless `then` says otherwise."""
    return form_page(
        request,
        form,
        save,
        success=success,
        then=then or (lambda saved: forum_url(forum)),
        template=template,
        context={"forum": forum, **context},
    )
