"""What the training pages share: the national "manage" check that guards
every write on trainers, programmes and study visits, their list page with
the form to create one, and the steps posted on a record's page (add,
remove, upload, change)."""

from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from django import forms
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from cpis.core.forms import form_page
from cpis.core.views import run_action
from cpis.organisation.access import Actor, ActorRequest

from .. import selectors, services
from ..policy import policy

R = TypeVar("R")
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
    value = request.POST.get(name, "")
    if not (value.isascii() and value.isdigit()):
        raise Http404(_("Not found."))
    return int(value)
