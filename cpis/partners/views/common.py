"""What the partners' pages share: the units one may record things for, the
list page (whole or, for htmx, its rows), the one form page every record kind
uses, and reading an uploaded document."""

from collections.abc import Callable
from typing import Any, TypeVar

from django import forms
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.core.paginator import Page
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from cpis.core.forms import form_page, query_without_page
from cpis.core.htmx import template_for, vary_on_htmx
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


def upload(file: UploadedFile | None) -> Upload | None:
    """Read an uploaded file, refusing an oversize one before reading it."""
    return read_upload(file) if file is not None else None


def chosen_id(request: ActorRequest, name: str) -> int | None:
    """A record's number given in the query string (`?partner=12`), if it is one."""
    value = request.GET.get(name, "")
    return int(value) if value.isascii() and value.isdigit() else None
