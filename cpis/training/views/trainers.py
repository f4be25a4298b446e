"""Trainers: the list with the form to add one, and a trainer's edit page."""

from typing import Any

from django.forms.models import model_to_dict
from django.http import HttpResponse
from django.utils.translation import gettext as _

from cpis.core.forms import form_page
from cpis.organisation.access import Actor, ActorRequest, staff_required
from cpis.organisation.selectors import find_officer_by_badge

from .. import selectors, services
from ..forms import ORGANISATIONS, TrainerEditForm, TrainerForm
from ..models import Trainer
from .common import national_list, require_manage


def _add_trainer(actor: Actor, data: dict[str, Any]) -> Trainer:
    """One of our officers (by badge number) or an external trainer (by name)."""
    officer = None
    if badge := data["badge_number"].strip():
        officer = find_officer_by_badge(badge.upper())
        if officer is None:
            raise services.InvalidInput(_("No officer has this badge number."))
    return services.add_trainer(
        actor,
        officer=officer,
        name=data["name"],
        organisation=data["organisation"],
        areas=data["areas"],
        certified_on=data["certified_on"],
    )


@staff_required
def trainers(request: ActorRequest) -> HttpResponse:
    return national_list(
        request,
        TrainerForm(request.POST or None),
        _add_trainer,
        success=_("Trainer added."),
        then="training:trainers",
        template="training/trainers.html",
        context={"trainers": selectors.list_trainers(request.actor), "organisations": ORGANISATIONS},
    )


@staff_required
def trainer_edit(request: ActorRequest, trainer_id: int) -> HttpResponse:
    actor = request.actor
    trainer = selectors.get_trainer(actor, trainer_id)
    require_manage(actor)
    initial = model_to_dict(trainer, fields=list(TrainerEditForm.base_fields))
    return form_page(
        request,
        TrainerEditForm(request.POST or None, initial=initial),
        lambda data: services.update_trainer(actor, trainer=trainer, **data),
        success=_("Changes saved."),
        then="training:trainers",
        template="training/trainer_edit.html",
        context={"trainer": trainer},
    )
