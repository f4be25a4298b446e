"""What was done at a place between two dates, beside its survey scores: the
fragment a place's survey page loads by htmx (`?since=…&until=…`), or the same
as a page of its own when it is followed as a link."""

from datetime import timedelta
from typing import Any

from django import forms
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cpis.core.errors import DomainError
from cpis.core.htmx import template_for, vary_on_htmx
from cpis.core.views import on_record
from cpis.organisation.access import ActorRequest, staff_required

from ..selectors import activity as selectors

# Without dates: the last ninety days.
DEFAULT_DAYS = 90


class PeriodForm(forms.Form):
    since = forms.DateField(
        label=gettext_lazy("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=gettext_lazy("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


@staff_required
@on_record(selectors.get_place)
def sector_activity(request: ActorRequest, place: Any) -> HttpResponse:
    """The activity of a place (sector, station, region) from `since` to `until`."""
    form = PeriodForm(request.GET)
    context: dict[str, Any] = {"place": place, "form": form, "activity": None}
    if form.is_valid():
        until = form.cleaned_data["until"] or timezone.localdate()
        try:
            since = form.cleaned_data["since"] or until - timedelta(days=DEFAULT_DAYS - 1)
        except OverflowError:  # an `until` in the first days of year 1
            form.add_error("until", _("Enter a later date."))
        else:
            try:
                context["activity"] = selectors.place_activity(request.actor, place, since=since, until=until)
            except (DomainError, ValueError) as exc:
                form.add_error(None, str(exc))
    htmx = getattr(request, "htmx", None)
    status = 400 if form.errors and not htmx else 200
    template = template_for(request, "problems/activity/place.html", "activity")
    return vary_on_htmx(render(request, template, context, status=status))
