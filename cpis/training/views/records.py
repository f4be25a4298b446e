"""Officers' training records: the search, and an officer's record (logged)."""

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from cpis.organisation.access import ActorRequest, staff_required

from .. import selectors
from ..forms import OfficerSearchForm
from ..policy import policy


@staff_required
def officers(request: ActorRequest) -> HttpResponse:
    actor = request.actor
    policy.require_anywhere(actor, "view")
    if not selectors.may_view_records(actor):
        raise PermissionDenied(_("Your role does not give access to officers' training records."))
    form = OfficerSearchForm(request.GET or None)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    context = {"form": form, "officers": selectors.search_officers(actor, query), "query": query}
    return render(request, "training/officers.html", context)


@staff_required
def officer_record(request: ActorRequest, officer_id: int) -> HttpResponse:
    """An officer's training history: personal data, logged on every view."""
    record = selectors.get_officer_record(request.actor, officer_id, request=request)
    return render(request, "training/officer_record.html", {"record": record})
