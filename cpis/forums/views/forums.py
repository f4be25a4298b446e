"""The forums of a place with their sustainability figures, a forum's
registration, and one forum's page (members, meetings, sites, tension
reports, press releases, trainers)."""

from collections.abc import Callable
from typing import Any

from django.forms.models import model_to_dict
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cpis.accounts.views import fresh_second_factor
from cpis.core.forms import as_input, form_page, paginate, query_without_page
from cpis.organisation.access import ActorRequest, staff_required

from .. import selectors, services
from ..forms import ForumFilterForm, ForumForm
from ..models import Forum, ForumMember, MeetingStatus
from ..policy import policy
from .common import forum_url, may_manage

RECENT_MEETINGS = 15


@staff_required
def forum_list(request: ActorRequest) -> HttpResponse:
    """The forums of the user's places, filtered, with the place's sustainability figures."""
    actor = request.actor
    policy.require_anywhere(actor, "view")
    form = ForumFilterForm(request.GET or None, units=selectors.list_place_units(actor))
    data = form.cleaned_data if form.is_valid() else {}
    place = selectors.get_place(actor, data.get("unit"))
    filters = selectors.ForumFilters(
        unit_path=place.path if place else "", kind=data.get("kind", ""), status=data.get("status", "")
    )
    context = {
        "form": form,
        "page": paginate(request, selectors.list_forums(actor, filters)),
        "place": place,
        "figures": selectors.sustainability(selectors.filter_forums(actor, filters)),
        "actions": selectors.summarise_action_items(actor, unit_path=filters.unit_path),
        "can_create": policy.anywhere(actor, "manage"),
        "may_export": selectors.may_export(actor),
        "query_string": query_without_page(request.GET),
        "unit_query": f"unit={place.pk}" if place else "",
    }
    return render(request, "forums/forum_list.html", context)


def _forum_page(
    request: ActorRequest,
    forum: Forum | None,
    initial: dict[str, Any],
    save: Callable[[services.ForumInput], Forum],
    success: str,
) -> HttpResponse:
    """The registration (`forum` None) or edit page of a forum."""
    form = ForumForm(request.POST or None, places=selectors.list_forum_places(request.actor), initial=initial)
    return form_page(
        request,
        form,
        lambda data: save(as_input(services.ForumInput, data)),
        success=success,
        then=forum_url,
        template="forums/forum_form.html",
        context={"forum": forum},
    )


@staff_required
def forum_create(request: ActorRequest) -> HttpResponse:
    actor = request.actor
    policy.require_anywhere(actor, "manage")
    return _forum_page(
        request,
        None,
        {},
        lambda data: services.create_forum(actor, data=data),
        _("The forum has been registered."),
    )


@staff_required
def forum_edit(request: ActorRequest, forum_id: int) -> HttpResponse:
    actor = request.actor
    forum = selectors.get_forum(actor, forum_id)
    policy.require(actor, "manage", forum.unit_path)
    return _forum_page(
        request,
        forum,
        model_to_dict(forum, fields=list(ForumForm.base_fields)),
        lambda data: services.update_forum(actor, forum=forum, data=data),
        _("The forum has been saved."),
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
def forum_detail(request: ActorRequest, forum_id: int) -> HttpResponse:
    forum = selectors.get_forum(request.actor, forum_id)
    return render(request, "forums/forum_detail.html", _detail_context(request, forum, contacts=None))


@staff_required
@require_POST
@fresh_second_factor
def forum_contacts(request: ActorRequest, forum_id: int) -> HttpResponse:
    """Show the members' phone and e-mail; each member shown is logged."""
    actor = request.actor
    forum = selectors.get_forum(actor, forum_id)
    contacts = selectors.get_member_contacts(actor, forum, request=request)
    return render(request, "forums/forum_detail.html", _detail_context(request, forum, contacts=contacts))
