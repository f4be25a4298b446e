"""What the partners' pages share: the units one may record things for, the
check that the actor manages a record's place, the one form page every
record kind uses, a record kind's list page, and its create and edit pages
declared once (`RecordKind`)."""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from django import forms
from django.core.exceptions import PermissionDenied
from django.core.paginator import Page
from django.db.models import Model, QuerySet
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from cpis.core.forms import InputForm, form_page, initial_from, paginate, query_without_page
from cpis.core.htmx import template_for, vary_on_htmx
from cpis.core.http import whole_number
from cpis.core.views import View, on_record
from cpis.organisation.access import Actor, ActorRequest, staff_required

from .. import selectors
from ..forms import FilterForm
from ..policy import policy

T = TypeVar("T")

ALL_KINDS = selectors.CENTRAL_KINDS | selectors.LOCAL_KINDS

R = TypeVar("R", bound=Model)


def manage_units(actor: Actor, kinds: frozenset[str] = ALL_KINDS) -> Any:
    """Units the actor may record things for; none at all is a 403."""
    units = selectors.list_units(actor, kinds=kinds)
    if not units.exists():
        raise PermissionDenied(_("You may not do this here."))
    return units


def manage(actor: Actor, record: Any) -> None:
    """Only those who manage a record's place (each partners' record has its
    `unit_path`) change it: 403, or 404 outside the actor's places."""
    policy.require(actor, "manage", record.unit_path)


def edit_page(
    request: ActorRequest,
    form: forms.BaseForm,
    save: Callable[[dict[str, Any]], T],
    *,
    title: str,
    cancel: str,
    intro: str = "",
    success: str,
    then: str | Callable[[T], str],
) -> HttpResponse:
    """The create or edit page of any partners' record: one template, its
    `title`, the page that Cancel goes back to and an optional `intro`."""
    context = {"title": title, "cancel": cancel, "intro": intro, "multipart": form.is_multipart()}
    return form_page(
        request, form, save, success=success, then=then, template="partners/form.html", context=context
    )


def _nothing(*args: Any) -> dict[str, Any]:
    return {}


def _units_only(actor: Actor) -> dict[str, Any]:
    return {"units": manage_units(actor)}


def list_view(
    template: str,
    filter_form: type[FilterForm],
    items: Callable[[Actor, Any], QuerySet[Any]],
    *,
    filters: Callable[[ActorRequest], dict[str, Any]] = _nothing,
    context: Callable[[ActorRequest, Page[Any]], dict[str, Any]] = _nothing,
) -> View:
    """The list page of a record kind: `items` (a selector) filtered as the
    filter form says (and `filters` from the request), a page at a time,
    with more `context` for the page when the kind needs it; an htmx filter
    gets only the rows."""

    @staff_required
    def records(request: ActorRequest) -> HttpResponse:
        form = filter_form(request.GET or None)
        page = paginate(request, items(request.actor, form.selector_filters(**filters(request))))
        page_context = {
            "form": form,
            "page": page,
            "query_string": query_without_page(request.GET),
            "can_manage": policy.anywhere(request.actor, "manage"),
            **context(request, page),
        }
        return vary_on_htmx(render(request, template_for(request, template, "rows"), page_context))

    return records


@dataclass(frozen=True)
class RecordKind(Generic[R]):
    """The create and edit pages of one partners' record kind, declared once:
    its form with the choices it offers the actor, the services that create
    and update one (with the keyword arguments the form fills), the selector
    that finds one for the edit page (`get`, by the URL's number), its list
    and its page (`url`; None when a record has no page of its own: saving
    and Cancel go back to the list), and what the pages say. The form offers
    the units the actor may record for, and whatever else `choices` gives;
    hooks give its first values from the request (`new_initial`) or from the
    record (`edit_initial`, by default its values)."""

    form: type[InputForm]
    create: Callable[..., object]
    update: Callable[..., object]
    get: Callable[[Actor, int], R]
    list_name: str
    created: str | Promise
    saved: str | Promise
    new_title: str | Promise
    edit_title: Callable[[R], str]
    url: Callable[[Any], str] | None = None
    choices: Callable[[Actor], dict[str, Any]] = _units_only
    intro: str | Promise = ""
    new_initial: Callable[[ActorRequest], dict[str, Any]] = _nothing
    edit_initial: Callable[[ActorRequest, R], dict[str, Any]] | None = field(default=None)

    def _page(
        self,
        request: ActorRequest,
        initial: dict[str, Any],
        save: Callable[[Actor, dict[str, Any]], object],
        **page: Any,
    ) -> HttpResponse:
        actor = request.actor
        form = self.form(request.POST or None, request.FILES or None, initial=initial, **self.choices(actor))
        return edit_page(
            request,
            form,
            lambda data: save(actor, form.service_input()),
            then=self.url or self.list_name,
            **page,
        )

    def create_view(self) -> View:
        @staff_required
        def create(request: ActorRequest) -> HttpResponse:
            return self._page(
                request,
                self.new_initial(request),
                lambda actor, kwargs: self.create(actor, **kwargs),
                success=str(self.created),
                title=str(self.new_title),
                intro=str(self.intro),
                cancel=reverse(self.list_name),
            )

        return create

    def edit_view(self) -> View:
        """For those who manage the record's place (403 otherwise)."""

        @staff_required
        @on_record(self.get, check=manage)
        def edit(request: ActorRequest, record: R) -> HttpResponse:
            if self.edit_initial is None:
                initial = initial_from(record, self.form)
            else:
                initial = self.edit_initial(request, record)
            return self._page(
                request,
                initial,
                lambda actor, kwargs: self.update(actor, record, **kwargs),
                success=str(self.saved),
                title=self.edit_title(record),
                cancel=self.url(record) if self.url else reverse(self.list_name),
            )

        return edit


def chosen_id(request: ActorRequest, name: str) -> int | None:
    """A record's number given in the query string (`?partner=12`), if it is one."""
    return whole_number(request.GET.get(name, ""))
