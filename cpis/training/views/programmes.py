"""Programmes: the list with the form to create one, and a programme's page
with its modules (add, remove) and its edit form."""

from typing import Any

from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cpis.core.views import record_url
from cpis.organisation.access import Actor, ActorRequest

from .. import selectors, services
from ..forms import ModuleForm, ProgrammeForm
from ..models import Module, Programme
from .common import NationalKind, posted, posted_id


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


def _shown(request: ActorRequest, programme: Programme, can_manage: bool) -> dict[str, Any]:
    """A programme's page: its modules with their hours, its latest courses."""
    return {
        "programme": programme,
        "hours": selectors.programme_hours(programme),
        "courses": selectors.list_courses(request.actor, programme_id=programme.pk)[:20],
        "module_form": ModuleForm() if can_manage else None,
    }


PROGRAMMES = NationalKind[Programme](
    form=ProgrammeForm,
    list_template="training/programmes.html",
    listed=lambda actor: {"programmes": selectors.list_programmes(actor)},
    create=services.create_programme,
    created=gettext_lazy("Programme created. Add its modules."),
    get=selectors.get_programme,
    url=record_url("training:programme"),
    template="training/programme.html",
    shown=_shown,
    update=lambda actor, programme, **data: services.update_programme(actor, programme=programme, **data),
    refused=gettext_lazy("Give the programme a title and a level; dates as day, month and year."),
    steps={"module": _programme_module, "remove_module": _programme_remove_module},
)

programmes = PROGRAMMES.list_view()
programme = PROGRAMMES.page_view()
