"""Forum members acting as community safety trainers."""

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from cpis.core.forms import form_page
from cpis.organisation.access import ActorRequest, staff_required

from .. import services
from ..forms import TrainerForm
from .common import SIMPLE_FORM, forum_url, managed_forum


@staff_required
def trainer_create(request: ActorRequest, forum_id: int) -> HttpResponse:
    actor = request.actor
    forum = managed_forum(actor, forum_id)
    members = forum.members.defer("phone", "email").order_by("name")
    return form_page(
        request,
        TrainerForm(request.POST or None, members=members, initial={"on": timezone.localdate()}),
        lambda data: services.record_trainer_engagement(actor, **data),
        success=_("The trainer's engagement has been recorded."),
        then=lambda engagement: forum_url(forum),
        template=SIMPLE_FORM,
        context={"forum": forum, "title": _("A member acting as community safety trainer")},
    )
