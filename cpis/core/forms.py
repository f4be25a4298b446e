"""Pieces every app's forms and views share: a field for free text, run a
service on a valid form with a broken rule shown on the form, and list
pages a page at a time."""

import dataclasses
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from django import forms
from django.contrib import messages
from django.core.paginator import Page, Paginator
from django.db.models import Model
from django.forms.models import model_to_dict
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render

from .errors import DomainError

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

T = TypeVar("T")
D = TypeVar("D", bound="DataclassInstance")

PAGE_SIZE = 50


def long_text(label: Any, limit: int = 4000, *, rows: int = 3, required: bool = True) -> forms.CharField:
    """Free text in a text area of `rows` lines that takes at most `limit`
    characters (the browser stops there too)."""
    return forms.CharField(
        label=label,
        required=required,
        max_length=limit,
        widget=forms.Textarea(attrs={"rows": rows, "maxlength": limit}),
    )


def as_input(cls: type[D], data: Mapping[str, Any], **given: Any) -> D:
    """A service's input dataclass filled from a form's cleaned data: the
    fields the form has, then `given` (which wins); the rest keep their defaults."""
    names = {field.name for field in dataclasses.fields(cls)}
    return cls(**({name: value for name, value in data.items() if name in names} | given))


class InputForm(forms.Form):
    """A record's form that fills its services' input dataclass (`input`),
    which the services of a record kind take as `data`."""

    input: type[Any]

    def service_input(self) -> dict[str, Any]:
        """The services' keyword arguments from the valid form: its `data`."""
        return {"data": as_input(self.input, self.cleaned_data)}


def initial_from(record: Model, form: type[forms.Form]) -> dict[str, Any]:
    """An edit form's first values: the record's, for the fields the form has
    (but its file fields: a file is chosen anew or the one kept)."""
    names = [name for name, field in form.base_fields.items() if not isinstance(field, forms.FileField)]
    return model_to_dict(record, fields=names)


def submit(form: forms.BaseForm, save: Callable[[dict[str, Any]], T]) -> T | None:
    """Run `save` (a service call that returns the record it wrote) on a valid
    form's cleaned data. A broken rule (`DomainError`) becomes the form's own
    error, so the page shows it beside what was typed; None means "show the
    form again"."""
    if not form.is_valid():
        return None
    try:
        return save(form.cleaned_data)
    except DomainError as exc:
        form.add_error(None, str(exc))
        return None


Success = str | Callable[[T], str] | None
"""What a saved form page says: a message, one made from the saved record, or nothing."""


def save_on_post(
    request: HttpRequest, form: forms.BaseForm, save: Callable[[dict[str, Any]], T], *, success: Success[T]
) -> T | None:
    """The create/edit page's POST: `submit` the form and, when it saved,
    flash `success`. On GET nothing is saved and None comes back."""
    if request.method != "POST":
        return None
    saved = submit(form, save)
    if saved is not None and success is not None:
        messages.success(request, success(saved) if callable(success) else success)
    return saved


def form_status(request: HttpRequest) -> int:
    """A form shown again after a POST failed answers 400 (so that clients and
    tests can tell a refused submission from a first view)."""
    return 400 if request.method == "POST" else 200


def form_page(
    request: HttpRequest,
    form: forms.BaseForm,
    save: Callable[[dict[str, Any]], T],
    *,
    success: Success[T],
    then: str | Callable[[T], str],
    template: str,
    context: Mapping[str, Any] | None = None,
) -> HttpResponse:
    """A create or edit page in one call: on a POST that saves, flash `success`
    (if it says anything) and redirect to `then` (a URL or URL name, or a function of the saved record
    giving one); otherwise render `template` with `form` and `context` (400
    after a refused POST)."""
    saved = save_on_post(request, form, save, success=success)
    if saved is not None:
        return redirect(then(saved) if callable(then) else then)
    return render(request, template, {"form": form, **(context or {})}, status=form_status(request))


def paginate(request: HttpRequest, items: Any, per_page: int = PAGE_SIZE) -> Page[Any]:
    """The page of `items` asked for in `?page=` (the last one when past the end)."""
    return Paginator(items, per_page).get_page(request.GET.get("page"))


def query_without_page(params: QueryDict) -> str:
    """The list's filters as a query string without `page`, for the pagination
    links and the export links of a list page."""
    query = params.copy()
    query.pop("page", None)
    return query.urlencode()
