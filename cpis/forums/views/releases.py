"""Press releases on forum activity [2.4.12]: written as drafts, then
published on the citizens' pages of the forum's sectors (or withdrawn)."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cpis.core.views import on_record
from cpis.organisation.access import ActorRequest, staff_required

from .. import selectors, services
from ..forms import PressReleaseForm
from ..models import Forum, PressRelease
from .common import forum_form, forum_record_views


def _release_form(request: ActorRequest, forum: Forum, release: PressRelease | None) -> HttpResponse:
    """A draft is written in the forum's language unless the writer says otherwise."""
    initial = {"language": forum.language}
    if release is not None:
        initial = {"title": release.title, "body": release.body, "language": release.language}
    return forum_form(
        request,
        forum,
        PressReleaseForm(request.POST or None, initial=initial),
        lambda data: services.save_press_release(request.actor, forum=forum, release=release, **data),
        success=_("The press release has been saved. Publish it when it is ready."),
        template="forums/release_form.html",
        release=release,
    )


release_create, release_edit = forum_record_views(_release_form, selectors.get_press_release)


@staff_required
@require_POST
@on_record(selectors.get_press_release)
def release_publish(request: ActorRequest, release: PressRelease) -> HttpResponse:
    publish = request.POST.get("publish") != "0"
    services.publish_press_release(request.actor, release=release, publish=publish)
    messages.success(
        request, _("The press release is published.") if publish else _("The press release is withdrawn.")
    )
    return redirect("forums:detail", forum_id=release.forum_id)
