"""Community tension reports a forum sends to the police [2.4.11]."""

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from cpis.core.forms import form_page
from cpis.organisation.access import ActorRequest, staff_required

from .. import services
from ..forms import TensionForm
from .common import SIMPLE_FORM, forum_url, managed_forum


@staff_required
def tension_create(request: ActorRequest, forum_id: int) -> HttpResponse:
    actor = request.actor
    forum = managed_forum(actor, forum_id)
    return form_page(
        request,
        TensionForm(request.POST or None, initial={"reported_on": timezone.localdate()}),
        lambda data: services.report_tension(actor, forum=forum, **data),
        success=_("The tension report has been recorded."),
        then=lambda report: forum_url(forum),
        template=SIMPLE_FORM,
        context={"forum": forum, "title": _("Community tension report")},
    )
