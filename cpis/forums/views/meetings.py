"""A forum's meetings from planning to minutes: scheduling and changing one,
its page, recording it as held, and the steps on it (cancel, publish the
minutes, add a decision or an action item)."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cpis.core.forms import as_input, form_status, initial_from, save_on_post
from cpis.core.views import RecordPage, on_record, record_url
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
from ..models import Forum, Meeting, MeetingStatus
from .common import forum_form, forum_record_views, manage_its_forum, may_manage

FORM = "forums/meeting_form.html"

meeting_url = record_url("forums:meeting")


def _meeting_form(request: ActorRequest, forum: Forum, meeting: Meeting | None) -> HttpResponse:
    """The form to schedule (`meeting` None) or change a meeting of `forum`."""
    actor = request.actor
    initial = initial_from(meeting, MeetingForm) if meeting is not None else {}
    form = MeetingForm(request.POST or None, initial=initial)

    def save(data: dict[str, Any]) -> Meeting:
        if meeting is None:
            return services.schedule_meeting(actor, forum=forum, **form.service_input())
        return services.update_meeting(actor, meeting=meeting, **form.service_input())

    return forum_form(
        request,
        forum,
        form,
        save,
        success=_("The meeting has been saved.") if meeting else _("The meeting has been scheduled."),
        template=FORM,
        then=meeting_url,
        meeting=meeting,
    )


meeting_create, meeting_edit = forum_record_views(_meeting_form, selectors.get_meeting)


def _meeting_context(request: ActorRequest, meeting: Meeting) -> dict[str, object]:
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


PAGE = RecordPage[Meeting](
    "forums:meeting", selectors.get_meeting, "forums/meeting_detail.html", _meeting_context
)

meeting_detail = staff_required(PAGE.view())


@staff_required
@on_record(selectors.get_meeting, check=manage_its_forum)
def meeting_record(request: ActorRequest, meeting: Meeting) -> HttpResponse:
    """Record a planned meeting as held: attendance, minutes, decisions, action items."""
    actor = request.actor
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

# One step on a meeting (cancel, publish the minutes, add a decision or an
# action item); a broken rule is shown on the meeting's page.
meeting_act = staff_required(require_POST(PAGE.act_view(PAGE.saying(MEETING_ACTIONS))))
