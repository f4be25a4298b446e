"""Action items across a place's forums: the list (open by default, overdue
first) and marking one done."""

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cpis.core.forms import paginate
from cpis.core.views import flash_step
from cpis.organisation.access import ActorRequest, staff_required

from .. import selectors, services
from ..forms import ActionFilterForm, NoteForm
from ..policy import policy
from .common import place_filter, under


@staff_required
def action_list(request: ActorRequest) -> HttpResponse:
    """A place's action items: open by default, overdue first by due date."""
    actor = request.actor
    chosen = place_filter(request, ActionFilterForm)
    show = chosen.data.get("show") or "open"
    page = paginate(request, selectors.list_action_items(actor, unit_path=chosen.unit_path, show=show))
    manage_paths = policy.places(actor, "manage")
    rows = [
        {"item": item, "may_complete": actor.is_system or under(item.meeting.forum.unit_path, manage_paths)}
        for item in page
    ]
    context = {
        "form": chosen.form,
        "page": page,
        "rows": rows,
        "place": chosen.place,
        "show": show,
        "summary": selectors.summarise_action_items(actor, unit_path=chosen.unit_path),
        "today": timezone.localdate(),
        "done_form": NoteForm(),
        "may_export": selectors.may_export(actor),
        **chosen.links(request),
    }
    return render(request, "forums/action_list.html", context)


@staff_required
@require_POST
def action_done(request: ActorRequest, item_id: int) -> HttpResponse:
    actor = request.actor
    item = selectors.get_action_item(actor, item_id)
    form = NoteForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    flash_step(
        request,
        lambda: services.complete_action_item(actor, item=item, note=note),
        success=_("The action item is done."),
    )
    target = request.POST.get("next", "")
    if target.startswith("/staff/forums/") and "//" not in target:
        return redirect(target)
    return redirect("forums:meeting", meeting_id=item.meeting_id)
