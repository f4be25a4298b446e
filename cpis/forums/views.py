"""Staff pages of community safety forums: the forums of a place with their
sustainability figures, one forum (members, meetings, sites, tension
reports, press releases, trainers), the meeting from planning to minutes,
action items, proposed LPSC sites, and CSV/XLSX exports."""

from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.forms.models import model_to_dict
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cpis.core.errors import DomainError
from cpis.core.exports import to_csv, to_xlsx
from cpis.core.views import public
from cpis.organisation.access import Actor, ActorRequest, staff_required

from . import ical, selectors, services
from .forms import (
    ActionFilterForm,
    ActionItemFormSet,
    CancelForm,
    DecisionForm,
    ForumFilterForm,
    ForumForm,
    HeldForm,
    MeetingForm,
    MemberForm,
    NoteForm,
    PressReleaseForm,
    RequiredActionItemForm,
    SiteFilterForm,
    SiteForm,
    SiteStatusForm,
    TensionForm,
    TrainerForm,
)
from .models import Forum, ForumMember, Meeting, MeetingStatus, PressRelease, ProposedSite, SiteStatus
from .policy import policy

PAGE_SIZE = 50
RECENT_MEETINGS = 15
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _may_manage(actor: Actor, path: str) -> bool:
    return policy.can(actor, "manage", path)


def _under(path: str, tops: list[str]) -> bool:
    return any(path.startswith(top) for top in tops)


# --- forums --------------------------------------------------------------------------


@staff_required
def forum_list(request: ActorRequest) -> HttpResponse:
    """The forums of the user's places, filtered, with the place's sustainability figures."""
    actor = request.actor
    policy.require_anywhere(actor, "view")
    units = selectors.list_place_units(actor)
    form = ForumFilterForm(request.GET or None, units=units)
    data = form.cleaned_data if form.is_valid() else {}
    place = selectors.get_place(actor, data.get("unit"))
    filters = selectors.ForumFilters(
        unit_path=place.path if place else "", kind=data.get("kind", ""), status=data.get("status", "")
    )
    page = Paginator(selectors.list_forums(actor, filters), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "place": place,
        "figures": selectors.sustainability(selectors.filter_forums(actor, filters)),
        "actions": selectors.summarise_action_items(actor, unit_path=filters.unit_path),
        "can_create": policy.anywhere(actor, "manage"),
        "may_export": selectors.may_export(actor),
        "query_string": query.urlencode(),
        "unit_query": f"unit={place.pk}" if place else "",
    }
    return render(request, "forums/forum_list.html", context)


def _forum_input(data: dict[str, Any]) -> services.ForumInput:
    return services.ForumInput(
        kind=data["kind"],
        name=data["name"],
        language=data["language"],
        unit=data["unit"],
        municipality=data["municipality"],
        established_on=data["established_on"],
        meetings_per_year=data["meetings_per_year"],
        status=data["status"],
    )


@staff_required
def forum_create(request: ActorRequest) -> HttpResponse:
    actor = request.actor
    policy.require_anywhere(actor, "manage")
    places = selectors.list_forum_places(actor)
    form = ForumForm(request.POST or None, places=places)
    if request.method == "POST" and form.is_valid():
        try:
            forum = services.create_forum(actor, data=_forum_input(form.cleaned_data))
        except DomainError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The forum has been registered."))
            return redirect("forums:detail", forum_id=forum.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "forums/forum_form.html", {"form": form, "forum": None}, status=status)


@staff_required
def forum_edit(request: ActorRequest, forum_id: int) -> HttpResponse:
    actor = request.actor
    forum = selectors.get_forum(actor, forum_id)
    policy.require(actor, "manage", forum.unit_path)
    initial = model_to_dict(forum, fields=list(ForumForm.base_fields))
    form = ForumForm(request.POST or None, places=selectors.list_forum_places(actor), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_forum(actor, forum=forum, data=_forum_input(form.cleaned_data))
        except DomainError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The forum has been saved."))
            return redirect("forums:detail", forum_id=forum.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "forums/forum_form.html", {"form": form, "forum": forum}, status=status)


def _detail_context(
    request: ActorRequest, forum: Forum, *, contacts: dict[int, Any] | None
) -> dict[str, Any]:
    actor = request.actor
    members = selectors.list_members(forum)
    meetings = list(selectors.list_meetings(forum))
    now = timezone.now()
    upcoming = sorted(
        (m for m in meetings if m.status == MeetingStatus.PLANNED and m.starts_at >= now),
        key=lambda m: m.starts_at,
    )
    past = [m for m in meetings if m not in upcoming]
    show_all = request.GET.get("meetings") == "all"

    def rows(people: list[ForumMember]) -> list[dict[str, Any]]:
        return [{"member": m, "contact": contacts.get(m.pk) if contacts else None} for m in people]

    return {
        "forum": forum,
        "current_members": rows(members.current),
        "former_members": rows(members.former),
        "contacts_shown": contacts is not None,
        "can_manage": _may_manage(actor, forum.unit_path),
        "can_view_contacts": selectors.can_view_contacts(actor, forum),
        "upcoming": upcoming,
        "past": past if show_all else past[:RECENT_MEETINGS],
        "more_meetings": not show_all and len(past) > RECENT_MEETINGS,
        "sites": selectors.list_forum_sites(forum),
        "tensions": selectors.list_tension_reports(forum)[:20],
        "releases": selectors.list_press_releases(forum)[:20],
        "trainers": selectors.list_trainer_engagements(forum)[:20],
        "figures": selectors.sustainability(Forum.objects.filter(pk=forum.pk)),
    }


@staff_required
def forum_detail(request: ActorRequest, forum_id: int) -> HttpResponse:
    forum = selectors.get_forum(request.actor, forum_id)
    return render(request, "forums/forum_detail.html", _detail_context(request, forum, contacts=None))


@staff_required
@require_POST
def forum_contacts(request: ActorRequest, forum_id: int) -> HttpResponse:
    """Show the members' phone and e-mail; each member shown is logged."""
    actor = request.actor
    forum = selectors.get_forum(actor, forum_id)
    contacts = selectors.get_member_contacts(actor, forum, request=request)
    return render(request, "forums/forum_detail.html", _detail_context(request, forum, contacts=contacts))


# --- members -------------------------------------------------------------------------


def _member_input(data: dict[str, Any], *, with_contact: bool) -> services.MemberInput:
    return services.MemberInput(
        name=data["name"],
        role=data["role"],
        community=data["community"],
        gender=data["gender"],
        age_band=data["age_band"],
        skills=data["skills"],
        consent_to_contact=data["consent_to_contact"],
        term_start=data["term_start"],
        term_end=data["term_end"],
        is_leader=data["is_leader"],
        phone=data["phone"] if with_contact else None,
        email=data["email"] if with_contact else None,
    )


@staff_required
def member_create(request: ActorRequest, forum_id: int) -> HttpResponse:
    actor = request.actor
    forum = selectors.get_forum(actor, forum_id)
    policy.require(actor, "manage", forum.unit_path)
    with_contact = selectors.can_view_contacts(actor, forum)
    form = MemberForm(
        request.POST or None, with_contact=with_contact, initial={"term_start": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.add_member(
                actor, forum=forum, data=_member_input(form.cleaned_data, with_contact=with_contact)
            )
        except DomainError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The member has been added."))
            return redirect("forums:detail", forum_id=forum.pk)
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "forum": forum, "member": None, "with_contact": with_contact}
    return render(request, "forums/member_form.html", context, status=status)


@staff_required
def member_edit(request: ActorRequest, member_id: int) -> HttpResponse:
    """Edit a member; the form holds the contact only for roles that may
    see it, and opening it with the contact is logged."""
    actor = request.actor
    member = selectors.get_member(actor, member_id)
    forum = member.forum
    policy.require(actor, "manage", forum.unit_path)
    with_contact = selectors.can_view_contacts(actor, forum)
    initial: dict[str, Any] = {
        name: getattr(member, name)
        for name in (
            "name",
            "role",
            "community",
            "gender",
            "age_band",
            "skills",
            "consent_to_contact",
            "term_start",
            "term_end",
            "is_leader",
        )
    }
    if with_contact and request.method != "POST":
        contact = selectors.get_member_contact(actor, member, request=request)
        initial.update(phone=contact.phone, email=contact.email)
    form = MemberForm(request.POST or None, with_contact=with_contact, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_member(
                actor, member=member, data=_member_input(form.cleaned_data, with_contact=with_contact)
            )
        except DomainError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The member's record has been saved."))
            return redirect("forums:detail", forum_id=forum.pk)
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "forum": forum, "member": member, "with_contact": with_contact}
    return render(request, "forums/member_form.html", context, status=status)


# --- meetings ------------------------------------------------------------------------


def _meeting_input(data: dict[str, Any]) -> services.MeetingInput:
    return services.MeetingInput(
        kind=data["kind"],
        starts_at=data["starts_at"],
        place=data["place"],
        agenda=data["agenda"],
        is_public=data["is_public"],
        duration_minutes=data["duration_minutes"],
    )


@staff_required
def meeting_create(request: ActorRequest, forum_id: int) -> HttpResponse:
    actor = request.actor
    forum = selectors.get_forum(actor, forum_id)
    policy.require(actor, "manage", forum.unit_path)
    form = MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.schedule_meeting(actor, forum=forum, data=_meeting_input(form.cleaned_data))
        except DomainError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The meeting has been scheduled."))
            return redirect("forums:meeting", meeting_id=meeting.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request, "forums/meeting_form.html", {"form": form, "forum": forum, "meeting": None}, status=status
    )


@staff_required
def meeting_edit(request: ActorRequest, meeting_id: int) -> HttpResponse:
    actor = request.actor
    meeting = selectors.get_meeting(actor, meeting_id)
    policy.require(actor, "manage", meeting.forum.unit_path)
    initial = model_to_dict(meeting, fields=list(MeetingForm.base_fields))
    form = MeetingForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_meeting(actor, meeting=meeting, data=_meeting_input(form.cleaned_data))
        except DomainError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The meeting has been saved."))
            return redirect("forums:meeting", meeting_id=meeting.pk)
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "forum": meeting.forum, "meeting": meeting}
    return render(request, "forums/meeting_form.html", context, status=status)


def _meeting_context(request: ActorRequest, meeting: Meeting, **forms: Any) -> dict[str, Any]:
    actor = request.actor
    can_manage = _may_manage(actor, meeting.forum.unit_path)
    context: dict[str, Any] = {
        "meeting": meeting,
        "forum": meeting.forum,
        "can_manage": can_manage,
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
    context.update(forms)
    return context


@staff_required
def meeting_detail(request: ActorRequest, meeting_id: int) -> HttpResponse:
    meeting = selectors.get_meeting(request.actor, meeting_id)
    return render(request, "forums/meeting_detail.html", _meeting_context(request, meeting))


@staff_required
def meeting_record(request: ActorRequest, meeting_id: int) -> HttpResponse:
    """Record a planned meeting as held: attendance, minutes, decisions, action items."""
    actor = request.actor
    meeting = selectors.get_meeting(actor, meeting_id)
    policy.require(actor, "manage", meeting.forum.unit_path)
    if meeting.status != MeetingStatus.PLANNED:
        messages.error(request, str(services.MeetingNotPlanned.message))
        return redirect("forums:meeting", meeting_id=meeting.pk)
    members = selectors.list_attendance_choices(meeting)
    form = HeldForm(request.POST or None, members=members)
    formset = ActionItemFormSet(request.POST or None, prefix="actions")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        items = [
            services.ActionInput(
                text=f.cleaned_data["text"],
                owner_name=f.cleaned_data["owner_name"],
                due_on=f.cleaned_data["due_on"],
            )
            for f in formset.forms
            if f.cleaned_data and f.is_filled()
        ]
        try:
            services.record_meeting_held(
                actor,
                meeting=meeting,
                present=list(form.cleaned_data["present"]),
                other_attendees=form.cleaned_data["other_attendees"],
                minutes=form.cleaned_data["minutes"],
                decisions=form.decision_lines(),
                action_items=items,
            )
        except DomainError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The meeting has been recorded as held."))
            return redirect("forums:meeting", meeting_id=meeting.pk)
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "formset": formset, "meeting": meeting, "forum": meeting.forum}
    return render(request, "forums/meeting_record.html", context, status=status)


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
    data = form.cleaned_data
    services.add_action_item(
        actor,
        meeting=meeting,
        data=services.ActionInput(text=data["text"], owner_name=data["owner_name"], due_on=data["due_on"]),
    )
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
    return redirect("forums:meeting", meeting_id=meeting.pk)


# --- action items --------------------------------------------------------------------


@staff_required
def action_list(request: ActorRequest) -> HttpResponse:
    """A place's action items: open by default, overdue first by due date."""
    actor = request.actor
    policy.require_anywhere(actor, "view")
    units = selectors.list_place_units(actor)
    form = ActionFilterForm(request.GET or None, units=units)
    data = form.cleaned_data if form.is_valid() else {}
    place = selectors.get_place(actor, data.get("unit"))
    unit_path = place.path if place else ""
    show = data.get("show") or "open"
    items = selectors.list_action_items(actor, unit_path=unit_path, show=show)
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    manage_paths = policy.places(actor, "manage")
    rows = [
        {"item": item, "may_complete": actor.is_system or _under(item.meeting.forum.unit_path, manage_paths)}
        for item in page
    ]
    context = {
        "form": form,
        "page": page,
        "rows": rows,
        "place": place,
        "show": show,
        "summary": selectors.summarise_action_items(actor, unit_path=unit_path),
        "today": timezone.localdate(),
        "done_form": NoteForm(),
        "may_export": selectors.may_export(actor),
        "query_string": query.urlencode(),
        "unit_query": f"unit={place.pk}" if place else "",
    }
    return render(request, "forums/action_list.html", context)


@staff_required
@require_POST
def action_done(request: ActorRequest, item_id: int) -> HttpResponse:
    actor = request.actor
    item = selectors.get_action_item(actor, item_id)
    form = NoteForm(request.POST)
    try:
        services.complete_action_item(
            actor, item=item, note=form.cleaned_data["note"] if form.is_valid() else ""
        )
    except DomainError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The action item is done."))
    target = request.POST.get("next", "")
    if target.startswith("/staff/forums/") and "//" not in target:
        return redirect(target)
    return redirect("forums:meeting", meeting_id=item.meeting_id)


# --- proposed LPSC sites ---------------------------------------------------------------


@staff_required
def site_list(request: ActorRequest) -> HttpResponse:
    """Locations identified as needing a new LPSC [2.4.1], and a form to add one."""
    actor = request.actor
    policy.require_anywhere(actor, "view")
    units = selectors.list_place_units(actor)
    filters = SiteFilterForm(request.GET or None, units=units)
    data = filters.cleaned_data if filters.is_valid() else {}
    place = selectors.get_place(actor, data.get("unit"))
    places = selectors.list_forum_places(actor)
    may_add = policy.anywhere(actor, "manage")
    form = SiteForm(request.POST or None, places=places) if may_add else None
    status = 200
    if request.method == "POST":
        if form is None:
            policy.require_anywhere(actor, "manage")
        elif form.is_valid():
            try:
                services.identify_site(
                    actor,
                    unit=form.cleaned_data["unit"],
                    description=form.cleaned_data["description"],
                    identified_on=form.cleaned_data["identified_on"],
                )
            except DomainError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("The site has been recorded."))
                return redirect("forums:sites")
        status = 400
    sites = selectors.list_sites(actor, unit_path=place.path if place else "", status=data.get("show", ""))
    page = Paginator(sites, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    manage_paths = policy.places(actor, "manage")
    manageable = [site for site in page if actor.is_system or _under(site.unit_path, manage_paths)]
    forums = selectors.list_site_forums(actor, manageable)
    rows = [
        {"site": site, "may_manage": site in manageable, "forums": forums.get(site.pk, [])} for site in page
    ]
    context = {
        "filters": filters,
        "form": form,
        "page": page,
        "rows": rows,
        "place": place,
        "statuses": SiteStatus.choices,
        "query_string": query.urlencode(),
    }
    return render(request, "forums/site_list.html", context, status=status)


@staff_required
@require_POST
def site_status(request: ActorRequest, site_id: int) -> HttpResponse:
    actor = request.actor
    site: ProposedSite = selectors.get_site(actor, site_id)
    form = SiteStatusForm(request.POST, forums=selectors.list_manageable_forums(actor))
    if not form.is_valid():
        policy.require(actor, "manage", site.unit_path)
        messages.error(request, _("Choose a status, and the forum for an established LPSC."))
    else:
        try:
            services.change_site_status(
                actor,
                site=site,
                status=form.cleaned_data["status"],
                forum=form.cleaned_data["forum"],
                note=form.cleaned_data["note"],
            )
        except DomainError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("The site's status has been changed."))
    return redirect("forums:sites")


# --- tension reports, trainers, press releases ---------------------------------------------


@staff_required
def tension_create(request: ActorRequest, forum_id: int) -> HttpResponse:
    actor = request.actor
    forum = selectors.get_forum(actor, forum_id)
    policy.require(actor, "manage", forum.unit_path)
    form = TensionForm(request.POST or None, initial={"reported_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.report_tension(actor, forum=forum, **form.cleaned_data)
        except DomainError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The tension report has been recorded."))
            return redirect("forums:detail", forum_id=forum.pk)
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "forum": forum, "title": _("Community tension report")}
    return render(request, "forums/simple_form.html", context, status=status)


@staff_required
def trainer_create(request: ActorRequest, forum_id: int) -> HttpResponse:
    actor = request.actor
    forum = selectors.get_forum(actor, forum_id)
    policy.require(actor, "manage", forum.unit_path)
    members = forum.members.defer("phone", "email").order_by("name")
    form = TrainerForm(request.POST or None, members=members, initial={"on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.record_trainer_engagement(actor, **form.cleaned_data)
        except DomainError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The trainer's engagement has been recorded."))
            return redirect("forums:detail", forum_id=forum.pk)
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "forum": forum, "title": _("A member acting as community safety trainer")}
    return render(request, "forums/simple_form.html", context, status=status)


def _release_form(request: ActorRequest, forum: Forum, release: PressRelease | None) -> HttpResponse:
    actor = request.actor
    policy.require(actor, "manage", forum.unit_path)
    initial = {"language": forum.language}
    if release is not None:
        initial = {"title": release.title, "body": release.body, "language": release.language}
    form = PressReleaseForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_press_release(actor, forum=forum, release=release, **form.cleaned_data)
        except DomainError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The press release has been saved. Publish it when it is ready."))
            return redirect("forums:detail", forum_id=forum.pk)
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "forum": forum, "release": release}
    return render(request, "forums/release_form.html", context, status=status)


@staff_required
def release_create(request: ActorRequest, forum_id: int) -> HttpResponse:
    return _release_form(request, selectors.get_forum(request.actor, forum_id), None)


@staff_required
def release_edit(request: ActorRequest, release_id: int) -> HttpResponse:
    release = selectors.get_press_release(request.actor, release_id)
    return _release_form(request, release.forum, release)


@staff_required
@require_POST
def release_publish(request: ActorRequest, release_id: int) -> HttpResponse:
    actor = request.actor
    release = selectors.get_press_release(actor, release_id)
    publish = request.POST.get("publish") != "0"
    services.publish_press_release(actor, release=release, publish=publish)
    messages.success(
        request, _("The press release is published.") if publish else _("The press release is withdrawn.")
    )
    return redirect("forums:detail", forum_id=release.forum_id)


# --- exports -------------------------------------------------------------------------


@staff_required
def export(request: ActorRequest, what: str, fmt: str) -> HttpResponse:
    """A place's meetings or action items as CSV or XLSX."""
    actor = request.actor
    if not selectors.may_export(actor):
        policy.require_anywhere(actor, "view")
        raise PermissionDenied(_("Your role does not allow exports."))
    unit_id = request.GET.get("unit", "")
    place = selectors.get_place(actor, int(unit_id)) if unit_id.isascii() and unit_id.isdigit() else None
    unit_path = place.path if place else ""
    if what == "meetings":
        header, rows = (
            selectors.MEETING_EXPORT_HEADER,
            selectors.meeting_export_rows(actor, unit_path=unit_path),
        )
    elif what == "actions":
        header, rows = (
            selectors.ACTION_EXPORT_HEADER,
            selectors.action_export_rows(actor, unit_path=unit_path),
        )
    else:
        raise Http404(_("Not found."))
    stamp = timezone.now().strftime("%Y%m%d-%H%M")
    if fmt == "csv":
        response = HttpResponse(to_csv(header, rows), content_type="text/csv; charset=utf-8")
    elif fmt == "xlsx":
        response = HttpResponse(to_xlsx(header, rows, title=f"forum-{what}"), content_type=XLSX)
    else:
        raise Http404(_("Not found."))
    response["Content-Disposition"] = f'attachment; filename="forum-{what}-{stamp}.{fmt}"'
    return response


# --- the citizens' side (no sign-in) -------------------------------------------------------


def _calendar_host() -> str:
    return urlsplit(settings.SITE_URL).hostname or "cpis"


@public
def public_sector(request: ActorRequest, sector_id: int) -> HttpResponse:
    """The forums serving a sector (its own and its station's): upcoming
    public meetings, published minutes and forum news. Never members' contacts."""
    place = selectors.get_public_sector(sector_id)
    context = {
        "sector": place.sector,
        "station": place.station,
        "forums": selectors.list_public_forums(place),
        "meetings": selectors.list_upcoming_public_meetings(place),
        "minutes": selectors.list_published_minutes(place),
        "releases": selectors.list_public_press_releases(place),
        "feed_url": request.build_absolute_uri(reverse("forums_public:calendar", args=[sector_id])),
    }
    return render(request, "forums/public/sector.html", context)


@public
def public_calendar(request: ActorRequest, sector_id: int) -> HttpResponse:
    """The sector's upcoming public forum meetings as an iCalendar feed (RFC 5545)."""
    place = selectors.get_public_sector(sector_id)
    page = f"{settings.SITE_URL}{reverse('forums_public:sector', args=[sector_id])}"
    host = _calendar_host()
    events = [
        ical.Event(
            uid=f"forum-meeting-{m.pk}@{host}",
            starts_at=m.starts_at,
            ends_at=ical.meeting_end(m.starts_at, m.duration_minutes),
            summary=_("%(forum)s: %(kind)s") % {"forum": m.forum.name, "kind": m.get_kind_display()},
            location=m.place,
            description=m.agenda,
            url=page,
            last_modified=m.updated_at,
        )
        for m in selectors.list_upcoming_public_meetings(place)
    ]
    name = _("Community safety forums: %(sector)s") % {"sector": place.sector.name}
    body = ical.calendar(events, name=name, stamp=timezone.now())
    response = HttpResponse(body.encode("utf-8"), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="forum-meetings-{sector_id}.ics"'
    response["Cache-Control"] = "public, max-age=900"
    return response


@public
def public_minutes(request: ActorRequest, meeting_id: int) -> HttpResponse:
    meeting = selectors.get_published_minutes(meeting_id)
    context = {
        "meeting": meeting,
        "forum": meeting.forum,
        "decisions": selectors.list_public_decisions(meeting),
        "sector": selectors.public_sector_of(meeting.forum),
    }
    return render(request, "forums/public/minutes.html", context)


@public
def public_release(request: ActorRequest, release_id: int) -> HttpResponse:
    release = selectors.get_published_press_release(release_id)
    context = {
        "release": release,
        "forum": release.forum,
        "sector": selectors.public_sector_of(release.forum),
    }
    return render(request, "forums/public/release.html", context)
