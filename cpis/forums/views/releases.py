"""Press releases on forum activity [2.4.12]: written as drafts, then
published on the citizens' pages of the forum's sectors (or withdrawn)."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cpis.core.forms import form_page
from cpis.organisation.access import ActorRequest, staff_required

from .. import selectors, services
from ..forms import PressReleaseForm
from ..models import Forum, PressRelease
from ..policy import policy
from .common import forum_url


def _release_form(request: ActorRequest, forum: Forum, release: PressRelease | None) -> HttpResponse:
    actor = request.actor
    policy.require(actor, "manage", forum.unit_path)
    initial = {"language": forum.language}
    if release is not None:
        initial = {"title": release.title, "body": release.body, "language": release.language}
    return form_page(
        request,
        PressReleaseForm(request.POST or None, initial=initial),
        lambda data: services.save_press_release(actor, forum=forum, release=release, **data),
        success=_("The press release has been saved. Publish it when it is ready."),
        then=lambda saved: forum_url(forum),
        template="forums/release_form.html",
        context={"forum": forum, "release": release},
    )


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
