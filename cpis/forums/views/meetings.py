"""A forum's meetings from planning to minutes: scheduling and changing one,
its page, recording it as held, and the steps on it (cancel, publish the
minutes, add a decision or an action item)."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.forms.models import model_to_dict
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cpis.core.errors import DomainError
from cpis.core.forms import as_input, form_page, form_status, save_on_post
from cpis.organisation.access import Actor, ActorRequest, staff_required

from .. import selectors, services
from ..forms import (
    ActionItemFormSet,
    CancelForm,
    DecisionForm,
    HeldForm,
    MeetingForm,
    NoteForm,
    RequiredActionItemForm,
)
from ..models import Meeting, MeetingStatus
from ..policy import policy
from .common import managed_forum, may_manage

FORM = "forums/meeting_form.html"


def meeting_url(meeting: Meeting) -> str:
    return reverse("forums:meeting", args=[meeting.pk])


def _managed_meeting(actor: Actor, meeting_id: int) -> Meeting:
    meeting = selectors.get_meeting(actor, meeting_id)
    policy.require(actor, "manage", meeting.forum.unit_path)
    return meeting


@staff_required
def meeting_create(request: ActorRequest, forum_id: int) -> HttpResponse:
    actor = request.actor
    forum = managed_forum(actor, forum_id)
    return form_page(
        request,
        MeetingForm(request.POST or None),
        lambda data: services.schedule_meeting(
            actor, forum=forum, data=as_input(services.MeetingInput, data)
        ),
        success=_("The meeting has been scheduled."),
        then=meeting_url,
        template=FORM,
        context={"forum": forum, "meeting": None},
    )


@staff_required
def meeting_edit(request: ActorRequest, meeting_id: int) -> HttpResponse:
    actor = request.actor
    meeting = _managed_meeting(actor, meeting_id)
    initial = model_to_dict(meeting, fields=list(MeetingForm.base_fields))
    return form_page(
        request,
        MeetingForm(request.POST or None, initial=initial),
        lambda data: services.update_meeting(
            actor, meeting=meeting, data=as_input(services.MeetingInput, data)
        ),
        success=_("The meeting has been saved."),
        then=meeting_url,
        template=FORM,
        context={"forum": meeting.forum, "meeting": meeting},
    )


def _meeting_context(request: ActorRequest, meeting: Meeting) -> dict[str, Any]:
    return {
        "meeting": meeting,
        "forum": meeting.forum,
        "can_manage": may_manage(request.actor, meeting.forum.unit_path),
        "present": selectors.list_present(meeting),
        "decisions": selectors.list_decisions(meeting),
        "action_items": selectors.list_meeting_action_items(meeting),
        "has_started": meeting.starts_at <= timezone.now(),
        "cancel_form": CancelForm(),
        "decision_form": DecisionForm(),
        "action_form": RequiredActionItemForm(),
        "done_form": NoteForm(),
        "today": timezone.localdate(),
    }


@staff_required
def meeting_detail(request: ActorRequest, meeting_id: int) -> HttpResponse:
    meeting = selectors.get_meeting(request.actor, meeting_id)
    return render(request, "forums/meeting_detail.html", _meeting_context(request, meeting))


@staff_required
def meeting_record(request: ActorRequest, meeting_id: int) -> HttpResponse:
    """Record a planned meeting as held: attendance, minutes, decisions, action items."""
    actor = request.actor
    meeting = _managed_meeting(actor, meeting_id)
    if meeting.status != MeetingStatus.PLANNED:
        messages.error(request, str(services.MeetingNotPlanned.message))
        return redirect(meeting_url(meeting))
    form = HeldForm(request.POST or None, members=selectors.list_attendance_choices(meeting))
    formset = ActionItemFormSet(request.POST or None, prefix="actions")

    def save(data: dict[str, Any]) -> Meeting:
        return services.record_meeting_held(
            actor,
            meeting=meeting,
            present=list(data["present"]),
            other_attendees=data["other_attendees"],
            minutes=data["minutes"],
            decisions=form.decision_lines(),
            action_items=[
                as_input(services.ActionInput, f.cleaned_data)
                for f in formset.forms
                if f.cleaned_data and f.is_filled()
            ],
        )

    success = _("The meeting has been recorded as held.")
    held = save_on_post(request, form, save, success=success) if formset.is_valid() else None
    if held is not None:
        return redirect(meeting_url(held))
    context = {"form": form, "formset": formset, "meeting": meeting, "forum": meeting.forum}
    return render(request, "forums/meeting_record.html", context, status=form_status(request))


def _cancel(request: ActorRequest, actor: Actor, meeting: Meeting) -> str:
    form = CancelForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    services.cancel_meeting(actor, meeting=meeting, reason=reason)
    return _("The meeting has been cancelled.")


def _publish(request: ActorRequest, actor: Actor, meeting: Meeting) -> str:
    publish = request.POST.get("publish") != "0"
    services.publish_minutes(actor, meeting=meeting, publish=publish)
    return _("The minutes are published.") if publish else _("The minutes are no longer published.")


def _decide(request: ActorRequest, actor: Actor, meeting: Meeting) -> str:
    form = DecisionForm(request.POST)
    if not form.is_valid():
        raise services.InvalidInput(_("Write the decision."))
    services.add_decision(actor, meeting=meeting, text=form.cleaned_data["text"])
    return _("The decision has been added.")


def _add_action(request: ActorRequest, actor: Actor, meeting: Meeting) -> str:
    form = RequiredActionItemForm(request.POST)
    if not form.is_valid():
        raise services.InvalidInput(_("Give each action item a text, who does it and a due date."))
    services.add_action_item(actor, meeting=meeting, data=as_input(services.ActionInput, form.cleaned_data))
    return _("The action item has been added.")


MEETING_ACTIONS: dict[str, Callable[[ActorRequest, Actor, Meeting], str]] = {
    "cancel": _cancel,
    "publish": _publish,
    "decision": _decide,
    "action": _add_action,
}


@staff_required
@require_POST
def meeting_act(request: ActorRequest, meeting_id: int, action: str) -> HttpResponse:
    """One step on a meeting (cancel, publish the minutes, add a decision or
    an action item); a broken rule is shown on the meeting's page."""
    actor = request.actor
    meeting = selectors.get_meeting(actor, meeting_id)
    handler = MEETING_ACTIONS.get(action)
    if handler is None:
        raise Http404(_("Not found."))
    try:
        message = handler(request, actor, meeting)
    except DomainError as exc:
        messages.error(request, str(exc))
        return render(request, "forums/meeting_detail.html", _meeting_context(request, meeting), status=400)
    messages.success(request, message)
    return redirect(meeting_url(meeting))
