"""The forums of a place with their sustainability figures, a forum's
registration, and one forum's page (members, meetings, sites, tension
reports, press releases, trainers)."""

from typing import Any

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cpis.accounts.views import fresh_second_factor
from cpis.core.forms import form_page, initial_from, paginate
from cpis.core.views import form_views, on_record
from cpis.organisation.access import ActorRequest, staff_required

from .. import selectors, services
from ..forms import ForumFilterForm, ForumForm
from ..models import Forum, ForumMember, MeetingStatus
from ..policy import policy
from .common import forum_url, manage, may_manage, place_filter

RECENT_MEETINGS = 15


@staff_required
def forum_list(request: ActorRequest) -> HttpResponse:
    """The forums of the user's places, filtered, with the place's sustainability figures."""
    actor = request.actor
    chosen = place_filter(request, ForumFilterForm)
    filters = selectors.ForumFilters(
        unit_path=chosen.unit_path, kind=chosen.data.get("kind", ""), status=chosen.data.get("status", "")
    )
    context = {
        "form": chosen.form,
        "page": paginate(request, selectors.list_forums(actor, filters)),
        "place": chosen.place,
        "figures": selectors.sustainability(selectors.filter_forums(actor, filters)),
        "actions": selectors.summarise_action_items(actor, unit_path=filters.unit_path),
        "can_create": policy.anywhere(actor, "manage"),
        "may_export": selectors.may_export(actor),
        **chosen.links(request),
    }
    return render(request, "forums/forum_list.html", context)


def _forum_form(request: ActorRequest, forum: Forum | None) -> HttpResponse:
    """The registration (`forum` None) or edit page of a forum."""
    actor = request.actor
    initial = initial_from(forum, ForumForm) if forum is not None else {}
    form = ForumForm(request.POST or None, places=selectors.list_forum_places(actor), initial=initial)

    def save(data: dict[str, Any]) -> Forum:
        if forum is None:
            return services.create_forum(actor, **form.service_input())
        return services.update_forum(actor, forum=forum, **form.service_input())

    success = _("The forum has been saved.") if forum else _("The forum has been registered.")
    return form_page(
        request,
        form,
        save,
        success=success,
        then=forum_url,
        template="forums/forum_form.html",
        context={"forum": forum},
    )


forum_create, forum_edit = form_views(
    _forum_form,
    selectors.get_forum,
    may_create=lambda actor: policy.require_anywhere(actor, "manage"),
    may_edit=manage,
    guard=staff_required,
)


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
        "can_manage": may_manage(actor, forum.unit_path),
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
@on_record(selectors.get_forum)
def forum_detail(request: ActorRequest, forum: Forum) -> HttpResponse:
    return render(request, "forums/forum_detail.html", _detail_context(request, forum, contacts=None))


@staff_required
@require_POST
@fresh_second_factor
@on_record(selectors.get_forum)
def forum_contacts(request: ActorRequest, forum: Forum) -> HttpResponse:
    """Show the members' phone and e-mail; each member shown is logged."""
    contacts = selectors.get_member_contacts(request.actor, forum, request=request)
    return render(request, "forums/forum_detail.html", _detail_context(request, forum, contacts=contacts))
