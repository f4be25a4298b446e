"""Programmes: the list with the form to create one, and a programme's page
with its modules (add, remove) and its edit form."""

from django.forms.models import model_to_dict
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from cpis.organisation.access import Actor, ActorRequest, staff_required

from .. import selectors, services
from ..forms import ModuleForm, ProgrammeForm
from ..models import Module, Programme
from .common import Step, national_list, posted, posted_id, require_manage, run_step


def _programme_url(programme: Programme) -> str:
    return reverse("training:programme", args=[programme.pk])


@staff_required
def programmes(request: ActorRequest) -> HttpResponse:
    return national_list(
        request,
        ProgrammeForm(request.POST or None),
        lambda actor, data: services.create_programme(actor, **data),
        success=_("Programme created. Add its modules."),
        then=_programme_url,
        template="training/programmes.html",
        context={"programmes": selectors.list_programmes(request.actor)},
    )


def _programme_edit(request: ActorRequest, actor: Actor, programme: Programme) -> str:
    refused = _("Give the programme a title and a level; dates as day, month and year.")
    services.update_programme(actor, programme=programme, **posted(request, ProgrammeForm, refused))
    return _("Changes saved.")


def _programme_module(request: ActorRequest, actor: Actor, programme: Programme) -> str:
    refused = _("Give the module a title and its hours (1 to 500).")
    services.add_module(actor, programme=programme, **posted(request, ModuleForm, refused))
    return _("Module added.")


def _programme_remove_module(request: ActorRequest, actor: Actor, programme: Programme) -> str:
    module = Module.objects.filter(programme=programme, pk=posted_id(request, "module")).first()
    if module is None:
        raise Http404(_("Not found."))
    services.remove_module(actor, module=module)
    return _("Module removed.")


PROGRAMME_ACTIONS: dict[str, Step[Programme]] = {
    "edit": _programme_edit,
    "module": _programme_module,
    "remove_module": _programme_remove_module,
}


@staff_required
def programme(request: ActorRequest, programme_id: int) -> HttpResponse:
    actor = request.actor
    record = selectors.get_programme(actor, programme_id)
    if request.method == "POST":
        require_manage(actor)
        return run_step(request, PROGRAMME_ACTIONS, record, _programme_url)
    can_manage = selectors.can_manage(actor)
    initial = model_to_dict(record, fields=list(ProgrammeForm.base_fields))
    context = {
        "programme": record,
        "hours": selectors.programme_hours(record),
        "courses": selectors.list_courses(actor, programme_id=record.pk)[:20],
        "can_manage": can_manage,
        "form": ProgrammeForm(initial=initial) if can_manage else None,
        "module_form": ModuleForm() if can_manage else None,
    }
    return render(request, "training/programme.html", context)
