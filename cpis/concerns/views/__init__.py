"""Staff pages for concerns: the queue of a place, one concern with its
timeline and actions (the public summary among them), moderation, and entry
of concerns received by phone, in person or at a forum. The public reports
map and "me too" are in `public`."""

import uuid
from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language, gettext_noop
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cpis.accounts.views import fresh_second_factor
from cpis.core.errors import DomainError
from cpis.core.exports import download
from cpis.core.forms import form_page, paginate, query_without_page
from cpis.core.htmx import template_for, vary_on_htmx
from cpis.core.http import whole_number
from cpis.core.views import RecordPage, stored_file
from cpis.organisation.access import Actor, ActorRequest, staff_required

from .. import selectors, services
from ..forms import (
    AssignForm,
    BulkAssignForm,
    CloseForm,
    PublicSummaryForm,
    QueueFilterForm,
    StaffEntryForm,
    TextForm,
    TriageForm,
    submission_fields,
)
from ..models import Concern
from ..policy import policy

PAGE_SIZE = 50
PAGE_SIZES = {"25", "50", "100", "200"}


def _filters(form: QueueFilterForm, *, held: bool, actor: Actor | None = None) -> selectors.QueueFilters:
    data = form.cleaned_data if form.is_valid() else {}
    return selectors.QueueFilters(
        status=data.get("status", ""),
        category=data.get("category", ""),
        overdue=data.get("overdue", False),
        # "Assigned to me" with no user behind the actor matches nothing rather than everything.
        assigned_user=(actor.user_id or -1) if actor is not None and data.get("mine") else None,
        unassigned=data.get("unassigned", False),
        query=data.get("q", ""),
        held=held,
    )


@staff_required
def queue(request: ActorRequest) -> HttpResponse:
    """The concerns under the user's places, filtered, a page at a time."""
    actor = request.actor
    held = request.GET.get("held") == "1"
    form = QueueFilterForm(request.GET or None)
    concerns = selectors.list_queue(actor, _filters(form, held=held, actor=actor))
    per_page = int(request.GET["per_page"]) if request.GET.get("per_page") in PAGE_SIZES else PAGE_SIZE
    page = paginate(request, concerns, per_page)
    context = {
        "form": form,
        "page": page,
        "held": held,
        "summary": selectors.summarise_queue(actor),
        "query_string": query_without_page(request.GET),
        "officers": selectors.list_bulk_assignees(actor),
    }
    return vary_on_htmx(render(request, template_for(request, "concerns/queue.html", "rows"), context))


@staff_required
@require_POST
def bulk_assign(request: ActorRequest) -> HttpResponse:
    actor = request.actor
    ids = [i for i in map(whole_number, request.POST.getlist("concerns")) if i is not None]
    concerns = list(selectors.visible_concerns(actor).filter(pk__in=ids))
    if not concerns:
        messages.error(request, _("Select at least one concern."))
        return redirect("concerns:queue")
    officers = selectors.list_assignable_officers(concerns[0])
    form = BulkAssignForm(request.POST, officers=officers, concern_ids=[c.pk for c in concerns])
    if form.is_valid():
        try:
            services.assign_concerns(actor, concerns=concerns, officer=form.cleaned_data["officer"])
        except DomainError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("The selected concerns have been assigned."))
    else:
        messages.error(request, _("Choose an officer of the station of the selected concerns."))
    back = request.POST.get("next", "")
    if back and url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(back)
    return redirect("concerns:queue")


def _detail_context(request: ActorRequest, concern: Concern) -> dict[str, object]:
    actor = request.actor
    can_triage = policy.can(actor, "triage", concern.unit_path)
    return {
        "concern": concern,
        "events": selectors.list_events(concern),
        "similar": selectors.list_similar(concern) if can_triage else [],
        "can_triage": can_triage,
        "can_assign": policy.can(actor, "assign", concern.unit_path),
        "can_work": services.can_work(actor, concern),
        "can_view_contact": selectors.can_view_contact(actor, concern),
        "triage_form": TriageForm(
            sectors=selectors.list_triage_sectors(actor, concern),
            initial={"category": concern.category.code, "sector": concern.sector_id},
        ),
        "assign_form": AssignForm(
            officers=selectors.list_assignable_officers(concern),
            initial={"officer": concern.assigned_officer_id},
        ),
        "reply_form": TextForm(prefix="reply"),
        "note_form": TextForm(prefix="note"),
        "close_form": CloseForm(),
        "can_publish": services.can_publish(actor, concern),
        "summary_form": PublicSummaryForm(
            initial={"summary": concern.public_summary, "publish_photo": concern.photo_is_public}
        ),
        "contact": None,
    }


PAGE = RecordPage[Concern]("concerns:detail", selectors.get_concern, "concerns/detail.html", _detail_context)


def _triage(request: ActorRequest, actor: Actor, concern: Concern) -> HttpResponse:
    form = TriageForm(request.POST, sectors=selectors.list_triage_sectors(actor, concern))
    if not form.is_valid():
        return PAGE.invalid(request, concern, triage_form=form)
    data = form.cleaned_data
    category = selectors.list_categories().get(code=data["category"])
    services.triage_concern(
        actor, concern=concern, category=category, sector=data["sector"], note=data["note"]
    )
    return PAGE.done(request, concern, _("Triaged."))


def _assign(request: ActorRequest, actor: Actor, concern: Concern) -> HttpResponse:
    form = AssignForm(request.POST, officers=selectors.list_assignable_officers(concern))
    if not form.is_valid():
        return PAGE.invalid(request, concern, assign_form=form)
    services.assign_concern(
        actor, concern=concern, officer=form.cleaned_data["officer"], note=form.cleaned_data["note"]
    )
    return PAGE.done(request, concern, _("Assigned."))


def _start(request: ActorRequest, actor: Actor, concern: Concern) -> HttpResponse:
    services.start_work(actor, concern=concern)
    return PAGE.done(request, concern, _("Work has started."))


def _text_step(
    prefix: str, write: Callable[..., object], message: str
) -> Callable[[ActorRequest, Actor, Concern], HttpResponse]:
    """A step that writes one text on the concern (a reply, a note)."""

    def step(request: ActorRequest, actor: Actor, concern: Concern) -> HttpResponse:
        form = TextForm(request.POST, prefix=prefix)
        if not form.is_valid():
            return PAGE.invalid(request, concern, **{f"{prefix}_form": form})
        write(actor, concern=concern, text=form.cleaned_data["text"])
        return PAGE.done(request, concern, _(message))

    return step


def _close(request: ActorRequest, actor: Actor, concern: Concern) -> HttpResponse:
    form = CloseForm(request.POST)
    if not form.is_valid():
        return PAGE.invalid(request, concern, close_form=form)
    data = form.cleaned_data
    original = None
    if data["duplicate_of"]:
        original = selectors.find_by_reference(actor, data["duplicate_of"])
        if original is None:
            form.add_error("duplicate_of", _("No concern with this reference in your places."))
            return PAGE.invalid(request, concern, close_form=form)
    services.close_concern(
        actor, concern=concern, status=data["status"], reason=data["reason"], duplicate_of=original
    )
    return PAGE.done(request, concern, _("The concern has been closed."))


def _seen(request: ActorRequest, actor: Actor, concern: Concern) -> HttpResponse:
    services.mark_citizen_message_seen(actor, concern=concern)
    return PAGE.done(request, concern, _("The citizen's message is marked as seen."))


def _reopen(request: ActorRequest, actor: Actor, concern: Concern) -> HttpResponse:
    services.reopen_concern(actor, concern=concern, note=request.POST.get("note", "")[:4000])
    return PAGE.done(request, concern, _("The concern has been reopened."))


def _publish(request: ActorRequest, actor: Actor, concern: Concern) -> HttpResponse:
    form = PublicSummaryForm(request.POST)
    if not form.is_valid():
        return PAGE.invalid(request, concern, summary_form=form)
    data = form.cleaned_data
    services.approve_public_summary(
        actor, concern=concern, summary=data["summary"], publish_photo=data["publish_photo"]
    )
    return PAGE.done(request, concern, _("The public summary has been approved and published."))


def _unpublish(request: ActorRequest, actor: Actor, concern: Concern) -> HttpResponse:
    services.withdraw_public_summary(actor, concern=concern)
    return PAGE.done(request, concern, _("The concern is no longer public."))


ACTIONS: dict[str, Callable[[ActorRequest, Actor, Concern], HttpResponse]] = {
    "triage": _triage,
    "assign": _assign,
    "start": _start,
    "reply": _text_step(
        "reply", services.reply_to_citizen, gettext_noop("Your reply has been sent to the citizen.")
    ),
    "note": _text_step("note", services.add_note, gettext_noop("Note added.")),
    "close": _close,
    "reopen": _reopen,
    "seen": _seen,
    "publish": _publish,
    "unpublish": _unpublish,
}


detail = staff_required(PAGE.view())
# Reveal the reporter's contact details; the view is logged.
show_contact = staff_required(
    require_POST(fresh_second_factor(PAGE.reveal("contact", selectors.get_reporter_contact)))
)
# One workflow step on a concern; each calls one service.
act = staff_required(require_POST(PAGE.act_view(ACTIONS)))


@staff_required
def photo(request: ActorRequest, concern_id: int) -> FileResponse:
    """A concern's photo, for staff who may see the concern; never public."""
    return stored_file(selectors.get_concern(request.actor, concern_id).photo)


@staff_required
def enter(request: ActorRequest) -> HttpResponse:
    """Record a concern received by phone, in person or at a forum meeting."""
    actor = request.actor
    initial: dict[str, object] = {"submission_key": uuid.uuid4().hex, "language": get_language()}
    # "Record a concern raised at this meeting" on a forum meeting's page.
    meeting = whole_number(request.GET.get("meeting", ""))
    if meeting is not None:
        initial |= {"channel": "forum", "meeting": meeting}
    return form_page(
        request,
        StaffEntryForm(request.POST or None, initial=initial),
        lambda data: services.submit_concern(
            actor,
            **submission_fields(data),
            channel=data["channel"],
            idempotency_key=f"staff:{actor.user_id}:{data['submission_key']}",
            forum_meeting_id=data["meeting"],
        ),
        success=lambda submission: _("Concern recorded. Give the citizen the tracking code %(code)s.")
        % {"code": submission.tracking_code},
        then=lambda submission: reverse("concerns:detail", args=[submission.concern.pk]),
        template="concerns/enter.html",
    )


@staff_required
def export(request: ActorRequest, fmt: str) -> HttpResponse:
    """The filtered queue as CSV or XLSX, for roles allowed to export."""
    actor = request.actor
    if not selectors.may_export(actor):
        raise PermissionDenied(_("Your role does not allow exports."))
    form = QueueFilterForm(request.GET or None)
    rows = selectors.export_rows(actor, _filters(form, held=False, actor=actor))
    stamp = timezone.now().strftime("%Y%m%d-%H%M")
    return download(selectors.EXPORT_HEADER, rows, fmt, name=f"concerns-{stamp}", title="concerns")
