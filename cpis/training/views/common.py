"""What the training pages share: the national "manage" check that guards
every write on trainers, programmes and study visits, their list page with
the form to create one, the page of a programme or study visit with its edit
form (`NationalKind`), and the steps posted on a record's page (add, remove,
upload, change)."""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django import forms
from django.contrib import messages
from django.db.models import Model
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from cpis.core.forms import form_page, initial_from
from cpis.core.http import whole_number
from cpis.core.views import View, on_record, run_action
from cpis.organisation.access import Actor, ActorRequest, staff_required

from .. import selectors, services
from ..policy import policy

R = TypeVar("R")
M = TypeVar("M", bound=Model)
T = TypeVar("T")

Step = Callable[[ActorRequest, Actor, R], str]
"""A step posted on a record's page: it does its work and says what it did."""


def require_manage(actor: Actor) -> None:
    """Trainers, programmes and study visits are national records: 404 for
    those who see no training at all, 403 for those who see but may not manage."""
    policy.require_anywhere(actor, "manage", at=selectors.root_path())


def national_list(
    request: ActorRequest,
    form: forms.BaseForm,
    create: Callable[[Actor, dict[str, Any]], T],
    *,
    success: str,
    then: str | Callable[[T], str],
    template: str,
    context: Mapping[str, Any],
) -> HttpResponse:
    """The list of a national record kind with the form to create one: anyone
    who sees training sees the list, only those who manage may post."""
    actor = request.actor
    if request.method == "POST":
        require_manage(actor)
    return form_page(
        request,
        form,
        lambda data: create(actor, data),
        success=success,
        then=then,
        template=template,
        context={**context, "can_manage": selectors.can_manage(actor)},
    )


def run_step(
    request: ActorRequest,
    steps: Mapping[str, Step[R]],
    record: R,
    url: Callable[[R], str],
) -> HttpResponse:
    """The step named by the posted `action` on a record's page; back on the
    record's page (`url`) with what the step did, or with the broken rule."""

    def done(step: Step[R]) -> Callable[[ActorRequest, Actor, R], HttpResponse]:
        def run(request: ActorRequest, actor: Actor, record: R) -> HttpResponse:
            messages.success(request, step(request, actor, record))
            return redirect(url(record))

        return run

    return run_action(
        request,
        {name: done(step) for name, step in steps.items()},
        request.POST.get("action", ""),
        request.actor,
        record,
        on_error=lambda _request, r: redirect(url(r)),
    )


def posted(
    request: ActorRequest, form_class: type[forms.Form], refused: str, **kwargs: Any
) -> dict[str, Any]:
    """The cleaned data of a step's form; a refused form is a broken rule
    (`refused`) that the record's page shows."""
    form = form_class(request.POST, request.FILES, **kwargs)
    if not form.is_valid():
        raise services.InvalidInput(refused)
    return form.cleaned_data


def posted_id(request: ActorRequest, name: str) -> int:
    """A record's id posted in the field `name`; 404 when it is not a number."""
    value = whole_number(request.POST.get(name, ""))
    if value is None:
        raise Http404(_("Not found."))
    return value


@dataclass(frozen=True)
class NationalKind(Generic[M]):
    """A national record kind with a page of its own (programmes, study
    visits), declared once. Its list (`list_template`, with what `listed`
    gives) has the form that creates one (`create`, saying `created`) for
    those who manage training; its page (`template`, found by `get` from the
    URL's number, with what `shown` gives) has the same form to edit it
    (`update`; `refused` when the form is not valid) and the other `steps`."""

    form: type[forms.Form]
    list_template: str
    listed: Callable[[Actor], dict[str, Any]]
    create: Callable[..., M]
    created: str | Promise
    get: Callable[[Actor, int], M]
    url: Callable[[M], str]
    template: str
    shown: Callable[[ActorRequest, M, bool], dict[str, Any]]
    update: Callable[..., object]
    refused: str | Promise
    steps: Mapping[str, Step[M]]

    def list_view(self) -> View:
        @staff_required
        def records(request: ActorRequest) -> HttpResponse:
            return national_list(
                request,
                self.form(request.POST or None),
                lambda actor, data: self.create(actor, **data),
                success=str(self.created),
                then=self.url,
                template=self.list_template,
                context=self.listed(request.actor),
            )

        return records

    def _edit(self, request: ActorRequest, actor: Actor, record: M) -> str:
        self.update(actor, record, **posted(request, self.form, str(self.refused)))
        return _("Changes saved.")

    def page_view(self) -> View:
        """The record's page: a POST runs the step it names (`edit` or one of
        `steps`) for those who manage training; otherwise it shows the
        record, and the edit form to those who manage."""

        @staff_required
        @on_record(self.get)
        def page(request: ActorRequest, record: M) -> HttpResponse:
            actor = request.actor
            if request.method == "POST":
                require_manage(actor)
                return run_step(request, {"edit": self._edit, **self.steps}, record, self.url)
            can_manage = selectors.can_manage(actor)
            form = self.form(initial=initial_from(record, self.form)) if can_manage else None
            context = {"can_manage": can_manage, "form": form, **self.shown(request, record, can_manage)}
            return render(request, self.template, context)

        return page
