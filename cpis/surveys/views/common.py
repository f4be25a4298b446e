"""What the staff pages of the surveys share: a step of a record's page that
posts one form and hands it to one service."""

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django import forms
from django.http import HttpResponse

from cpis.core.forms import InputForm
from cpis.core.views import RecordPage
from cpis.organisation.access import Actor, ActorRequest

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

Handler = Callable[[ActorRequest, Actor, Any], HttpResponse]


def form_step(
    page: RecordPage[Any],
    form_name: str,
    form_class: type[forms.Form],
    service: Callable[..., object],
    record: str,
    *,
    success: "StrOrPromise",
) -> Handler:
    """A step of `page` (an action of its `act_view`) that posts `form_class`,
    shown on the page as `form_name`, to `service(actor, <record>=the page's
    record, …)` with an InputForm's `data`, or else the form's fields by name.
    Saved, back on the page with `success`; a refused form, or a broken rule as
    the form's own error, shows the page again."""

    def handler(request: ActorRequest, actor: Actor, target: Any) -> HttpResponse:
        form = form_class(request.POST)

        def save(data: dict[str, Any]) -> object:
            given = form.service_input() if isinstance(form, InputForm) else data
            return service(actor, **{record: target}, **given)

        return page.step(request, target, form_name, form, save, success=str(success))

    return handler
