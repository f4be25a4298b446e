"""Forum members acting as community safety trainers."""

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from cpis.organisation.access import ActorRequest

from .. import services
from ..forms import TrainerForm
from ..models import Forum
from .common import forum_form, managed_forum


@managed_forum
def trainer_create(request: ActorRequest, forum: Forum) -> HttpResponse:
    members = forum.members.defer("phone", "email").order_by("name")
    return forum_form(
        request,
        forum,
        TrainerForm(request.POST or None, members=members, initial={"on": timezone.localdate()}),
        lambda data: services.record_trainer_engagement(request.actor, **data),
        success=_("The trainer's engagement has been recorded."),
        title=_("A member acting as community safety trainer"),
    )
