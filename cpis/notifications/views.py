"""Staff pages of the inbox: the list (newest first, unread marked), opening a
notification (read, then on to what it is about), marking read, and the
choices per kind. Every page shows the signed-in person's own notifications."""

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cpis.core.forms import form_page, paginate, query_without_page
from cpis.core.views import flash_step
from cpis.organisation.access import ActorRequest, staff_required

from . import selectors, services
from .forms import PreferencesForm


@staff_required
def inbox(request: ActorRequest) -> HttpResponse:
    actor = request.actor
    unread_only = request.GET.get("unread") == "1"
    context = {
        "page": paginate(request, selectors.list_inbox(actor, unread_only=unread_only)),
        "unread_only": unread_only,
        "unread": selectors.count_unread(actor),
        "query_string": query_without_page(request.GET),
    }
    return render(request, "notifications/inbox.html", context)


def _safe(request: ActorRequest, link: str) -> str:
    """A notification's link, or the inbox if it is not a page of this site."""
    if link and url_has_allowed_host_and_scheme(link, allowed_hosts={request.get_host()}):
        return link
    return "notifications:inbox"


@staff_required
def open_notification(request: ActorRequest, notification_id: int) -> HttpResponse:
    """Opening a notification reads it and goes to what it is about."""
    notification = selectors.get_notification(request.actor, notification_id)
    services.mark_read(request.actor, notification=notification)
    return redirect(_safe(request, notification.link))


@staff_required
@require_POST
def read(request: ActorRequest, notification_id: int) -> HttpResponse:
    notification = selectors.get_notification(request.actor, notification_id)
    flash_step(
        request,
        lambda: services.mark_read(request.actor, notification=notification),
        success=_("Marked as read."),
    )
    return redirect(_back(request))


@staff_required
@require_POST
def read_all(request: ActorRequest) -> HttpResponse:
    flash_step(request, lambda: services.mark_all_read(request.actor), success=_("All marked as read."))
    return redirect(_back(request))


def _back(request: ActorRequest) -> str:
    back = request.POST.get("next", "")
    if back.startswith("/") and url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        return back
    return "notifications:inbox"


@staff_required
def preferences(request: ActorRequest) -> HttpResponse:
    """How to be told of each kind of event: at once, in a daily digest, or not."""
    actor = request.actor
    form = PreferencesForm(request.POST or None, current=selectors.list_preferences(actor))
    return form_page(
        request,
        form,
        lambda data: services.set_preferences(actor, modes=form.modes()),
        success=_("Your choices have been saved."),
        then="notifications:preferences",
        template="notifications/preferences.html",
    )
