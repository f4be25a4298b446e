"""Community tension reports a forum sends to the police [2.4.11]."""

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from cpis.organisation.access import ActorRequest

from .. import services
from ..forms import TensionForm
from ..models import Forum
from .common import forum_form, managed_forum


@managed_forum
def tension_create(request: ActorRequest, forum: Forum) -> HttpResponse:
    return forum_form(
        request,
        forum,
        TensionForm(request.POST or None, initial={"reported_on": timezone.localdate()}),
        lambda data: services.report_tension(request.actor, forum=forum, **data),
        success=_("The tension report has been recorded."),
        title=_("Community tension report"),
    )
