"""Forum members acting as community safety trainers."""

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from cpis.core.views import on_record
from cpis.organisation.access import ActorRequest, staff_required

from .. import selectors, services
from ..forms import TrainerForm
from ..models import Forum
from .common import forum_form, manage


@staff_required
@on_record(selectors.get_forum, "forum_id", check=manage)
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
