"""What the partners' pages share: the units one may record things for, the
list page (whole or, for htmx, its rows), the one form page every record kind
uses and the create and edit pages of a record kind, and reading an uploaded
document."""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar, cast

from django import forms
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.core.paginator import Page
from django.db.models import Model
from django.forms.models import model_to_dict
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from cpis.core.forms import as_input, form_page, query_without_page
from cpis.core.htmx import template_for, vary_on_htmx
from cpis.core.http import whole_number
from cpis.core.uploads import Upload, read_upload
from cpis.organisation.access import Actor, ActorRequest

from .. import selectors
from ..policy import policy

T = TypeVar("T")

ALL_KINDS = selectors.CENTRAL_KINDS | selectors.LOCAL_KINDS


def manage_units(actor: Actor, kinds: frozenset[str] = ALL_KINDS) -> Any:
    """Units the actor may record things for; none at all is a 403."""
    units = selectors.list_units(actor, kinds=kinds)
    if not units.exists():
        raise PermissionDenied(_("You may not do this here."))
    return units


def list_page(
    request: ActorRequest, template: str, form: forms.Form, page: Page[Any], **context: Any
) -> HttpResponse:
    """A filtered list a page at a time; an htmx filter gets only the rows."""
    context = {
        "form": form,
        "page": page,
        "query_string": query_without_page(request.GET),
        "can_manage": policy.anywhere(request.actor, "manage"),
        **context,
    }
    return vary_on_htmx(render(request, template_for(request, template, "rows"), context))


def edit_page(
    request: ActorRequest,
    form: forms.BaseForm,
    save: Callable[[dict[str, Any]], T],
    *,
    success: str,
    then: str | Callable[[T], str],
    title: str,
    cancel: str,
    intro: str = "",
    multipart: bool = False,
) -> HttpResponse:
    """The create or edit page of any partners' record: one template, its title,
    an optional intro and the page that Cancel goes back to."""
    context = {"title": title, "cancel": cancel, "intro": intro, "multipart": multipart}
    return form_page(
        request, form, save, success=success, then=then, template="partners/form.html", context=context
    )


class Placed(Protocol):
    """A record kept at a place of the tree (each partners' model)."""

    @property
    def unit_path(self) -> str: ...


@dataclass(frozen=True)
class RecordKind:
    """What the create and edit pages of one partners' record kind differ in:
    its form and the choices it offers the actor, the services' input it fills
    (and what else that input takes from the cleaned data, `given`), its list,
    and its page (`url`; None when a record has no page of its own, and saving
    and Cancel go back to the list)."""

    form: type[forms.Form]
    choices: Callable[[Actor], dict[str, Any]]
    data: type[Any]
    list_name: str
    url: Callable[[Any], str] | None = None
    given: Callable[[dict[str, Any]], dict[str, Any]] = field(default=lambda data: {})

    def input(self, data: dict[str, Any]) -> Any:
        """The services' input filled from a valid form's cleaned data."""
        return as_input(self.data, data, **self.given(data))

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
            lambda data: save(actor, data),
            then=self.url or self.list_name,
            multipart=form.is_multipart(),
            **page,
        )

    def create(
        self,
        request: ActorRequest,
        save: Callable[[Actor, dict[str, Any]], object],
        *,
        success: str,
        title: str,
        intro: str = "",
        initial: dict[str, Any] | None = None,
    ) -> HttpResponse:
        """The page that records a new one (`save` the service call)."""
        return self._page(
            request,
            initial or {},
            save,
            success=success,
            title=title,
            intro=intro,
            cancel=reverse(self.list_name),
        )

    def edit(
        self,
        request: ActorRequest,
        record: Placed,
        save: Callable[[Actor, dict[str, Any]], object],
        *,
        success: str,
        title: str,
        initial: dict[str, Any] | None = None,
    ) -> HttpResponse:
        """The page that edits `record` (`save` the service call), for those
        who manage its place; the form starts from the record's values (a file
        field empty) unless `initial` says otherwise."""
        policy.require(request.actor, "manage", record.unit_path)
        if initial is None:
            names = [name for name, f in self.form.base_fields.items() if not isinstance(f, forms.FileField)]
            initial = model_to_dict(cast(Model, record), fields=names)
        cancel = self.url(record) if self.url else reverse(self.list_name)
        return self._page(request, initial, save, success=success, title=title, cancel=cancel)


def upload(file: UploadedFile | None) -> Upload | None:
    """Read an uploaded file, refusing an oversize one before reading it."""
    return read_upload(file) if file is not None else None


def chosen_id(request: ActorRequest, name: str) -> int | None:
    """A record's number given in the query string (`?partner=12`), if it is one."""
    return whole_number(request.GET.get(name, ""))
