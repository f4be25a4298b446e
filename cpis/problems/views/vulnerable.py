"""The register of vulnerable persons and groups [3.1.3]: the list (no names),
its export, recording an entry, an entry's page whose name and details are
shown only on a POST with a stated purpose and a fresh second factor, its
change form, its review and its officer's appointment."""

from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cpis.accounts.middleware import where_the_user_is
from cpis.accounts.views import fresh_second_factor
from cpis.core.errors import DomainError
from cpis.core.exports import download
from cpis.core.forms import form_page, paginate, query_without_page
from cpis.core.views import RecordPage, on_record, record_url
from cpis.organisation.access import Actor, ActorRequest, staff_required

from ..forms.vulnerable import (
    VulnerableAppointForm,
    VulnerableEntryForm,
    VulnerableFilterForm,
    VulnerableRecordForm,
    VulnerableReviewForm,
)
from ..models import VulnerableEntry
from ..policy import policy
from ..selectors import history
from ..selectors import vulnerable as selectors
from ..services import vulnerable as services

_detail_url = record_url("problems:vulnerable_detail")


def second_factor_held(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A fresh second factor means nothing to a user who has none: whoever
    reads the register sets one up first, and comes back. Put it above
    `fresh_second_factor`."""

    @wraps(view)
    def wrapper(request: ActorRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if getattr(request.user, "has_second_factor", False):
            return view(request, *args, **kwargs)
        messages.info(
            request, _("The register of vulnerable persons opens only with a second factor: set one up.")
        )
        query = urlencode({"next": where_the_user_is(request)})
        return HttpResponseRedirect(f"{reverse('accounts:second_factor_setup')}?{query}")

    return wrapper


def found_first(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """An entry the user may not read is not found (404, the attempt logged)
    before anything else is asked of them."""

    @wraps(view)
    def wrapper(request: ActorRequest, entry_id: int, **kwargs: Any) -> HttpResponse:
        selectors.get_entry(request.actor, entry_id)
        return view(request, entry_id=entry_id, **kwargs)

    return wrapper


def _filters(request: ActorRequest) -> tuple[VulnerableFilterForm, selectors.Filters]:
    form = VulnerableFilterForm(request.GET or None, places=selectors.list_filter_places(request.actor))
    data = form.cleaned_data if form.is_valid() else {}
    return form, selectors.Filters(
        kind=data.get("kind", ""),
        vulnerability=data.get("vulnerability", ""),
        unit=data.get("unit"),
        overdue=bool(data.get("overdue")),
        mine=bool(data.get("mine")),
    )


@staff_required
def entry_list(request: ActorRequest) -> HttpResponse:
    """The entries the user may read, the first review due first; no names."""
    actor = request.actor
    selectors.require_register(actor)
    form, filters = _filters(request)
    query = query_without_page(request.GET)
    context = {
        "form": form,
        "page": paginate(request, selectors.list_entries(actor, filters)),
        "query_string": query,
        "can_record": selectors.may_record(actor),
        "export_urls": [
            (f"{reverse('problems:vulnerable_export', args=[fmt])}?{query}", label)
            for fmt, label in (("csv", _("Export CSV")), ("xlsx", _("Export XLSX")))
        ],
    }
    return render(request, "problems/vulnerable_list.html", context)


@staff_required
def entry_export(request: ActorRequest, fmt: str) -> HttpResponse:
    """The filtered list as CSV or XLSX: no names, no details."""
    actor = request.actor
    selectors.require_register(actor)
    _form, filters = _filters(request)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return download(
        selectors.export_header(), selectors.export_rows(actor, filters), fmt, name=f"vulnerable-{stamp}"
    )


def _record(actor: Actor, form: VulnerableRecordForm, data: dict[str, Any]) -> VulnerableEntry:
    return services.record_entry(
        actor,
        unit=data["unit"],
        officer=data["officer"],
        review_on=data["review_on"],
        **form.service_input(),
    )


@staff_required
def entry_record(request: ActorRequest) -> HttpResponse:
    """Record a vulnerable person or group, with the officer appointed to them."""
    actor = request.actor
    policy.require_anywhere(actor, "vulnerable_record")
    places = selectors.list_places(actor)
    form = VulnerableRecordForm(
        request.POST or None,
        places=places,
        officers=selectors.list_officer_choices_for(places),
        initial={"identified_on": timezone.localdate()},
    )
    return form_page(
        request,
        form,
        lambda data: _record(actor, form, data),
        success=_("The entry has been recorded."),
        then=_detail_url,
        template="problems/vulnerable_form.html",
        context={"entry": None},
    )


def _context(request: ActorRequest, entry: VulnerableEntry) -> dict[str, Any]:
    actor = request.actor
    may_record = selectors.can_record(actor, entry)
    return {
        "entry": entry,
        "can_record": may_record,
        "revealed": None,
        "history": history.history(selectors.list_entry_changes(entry)),
        "review_form": VulnerableReviewForm(
            initial={"review_on": services.months_after(timezone.localdate(), 6)}
        ),
        "appoint_form": VulnerableAppointForm(
            officers=selectors.list_officer_choices(entry.unit), initial={"officer": entry.officer_id}
        )
        if may_record
        else None,
    }


PAGE = RecordPage[VulnerableEntry](
    "problems:vulnerable_detail", selectors.get_entry, "problems/vulnerable_detail.html", _context
)

# The entry's page: what, where, who and when, without the name or the details.
entry_detail = staff_required(PAGE.view())

# The name and details: a POST with the purpose, a fresh second factor, the read logged.
entry_reveal = staff_required(
    require_POST(
        found_first(second_factor_held(fresh_second_factor(PAGE.reveal("revealed", selectors.read_entry))))
    )
)


def _require_change(actor: Actor, entry: VulnerableEntry) -> None:
    policy.require(actor, "vulnerable_record", entry.unit_path)


@staff_required
@found_first
@second_factor_held
@fresh_second_factor
@on_record(selectors.get_entry, check=_require_change)
def entry_edit(request: ActorRequest, entry: VulnerableEntry) -> HttpResponse:
    """Change what an entry says. Its form shows the name and details, so it
    opens within the purpose declared when they were last shown, the read
    logged; without one the entry's page asks first."""
    actor = request.actor
    try:
        if request.method == "POST":
            selectors.require_declared_purpose(request, entry)
            initial: dict[str, Any] = {}
        else:
            full = selectors.read_for_change(actor, entry, request=request)
            initial = {name: getattr(full, name) for name in VulnerableEntryForm.base_fields}
    except DomainError as error:
        messages.error(request, str(error))
        return redirect("problems:vulnerable_detail", entry_id=entry.pk)
    form = VulnerableEntryForm(request.POST or None, initial=initial)
    return form_page(
        request,
        form,
        lambda _data: services.update_entry(actor, entry=entry, **form.service_input()),
        success=_("Changes saved."),
        then=_detail_url,
        template="problems/vulnerable_form.html",
        context={"entry": entry},
    )


def _review(request: ActorRequest, actor: Actor, entry: VulnerableEntry) -> HttpResponse:
    form = VulnerableReviewForm(request.POST)
    return PAGE.step(
        request,
        entry,
        "review_form",
        form,
        lambda data: services.review_entry(actor, entry=entry, review_on=data["review_on"]),
        success=_("The review has been recorded."),
    )


def _appoint(request: ActorRequest, actor: Actor, entry: VulnerableEntry) -> HttpResponse:
    form = VulnerableAppointForm(request.POST, officers=selectors.list_officer_choices(entry.unit))
    return PAGE.step(
        request,
        entry,
        "appoint_form",
        form,
        lambda data: services.appoint_officer(actor, entry=entry, officer=data["officer"]),
        success=_("The officer has been appointed."),
    )


def _step(
    handler: Callable[[ActorRequest, Actor, VulnerableEntry], HttpResponse],
) -> Callable[..., HttpResponse]:
    @on_record(selectors.get_entry, check=_require_change)
    def view(request: ActorRequest, entry: VulnerableEntry) -> HttpResponse:
        return handler(request, request.actor, entry)

    return staff_required(require_POST(view))


entry_review = _step(_review)
entry_appoint = _step(_appoint)
