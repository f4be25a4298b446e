"""What the staff pages of the surveys share: a step of a record's page that
posts one form."""

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django import forms
from django.http import HttpResponse

from cpis.core.views import RecordPage
from cpis.organisation.access import Actor, ActorRequest

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

Handler = Callable[[ActorRequest, Actor, Any], HttpResponse]


def form_step(
    page: RecordPage[Any],
    form_name: str,
    form_class: type[forms.Form],
    save: Callable[[Actor, Any, Any], object],
    *,
    success: "StrOrPromise",
) -> Handler:
    """A step of `page` (an action of its `act_view`) that posts `form_class`,
    shown on the page as `form_name`: `save(actor, record, form)` on a valid
    form lands back on the page with `success`; a refused form, or a broken
    rule as the form's own error, shows the page again."""

    def handler(request: ActorRequest, actor: Actor, record: Any) -> HttpResponse:
        form = form_class(request.POST)
        return page.step(
            request, record, form_name, form, lambda _data: save(actor, record, form), success=str(success)
        )

    return handler
