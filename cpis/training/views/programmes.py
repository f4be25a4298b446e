"""Programmes: the list with the form to create one, and a programme's page
with its modules (add, remove) and its edit form."""

from django.http import Http404, HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cpis.core.views import on_record, record_url
from cpis.organisation.access import Actor, ActorRequest, staff_required

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


PROGRAMMES = NationalKind[Programme](
    form=ProgrammeForm,
    url=record_url("training:programme"),
    update=lambda actor, programme, **data: services.update_programme(actor, programme=programme, **data),
    refused=gettext_lazy("Give the programme a title and a level; dates as day, month and year."),
    steps={"module": _programme_module, "remove_module": _programme_remove_module},
)


@staff_required
def programmes(request: ActorRequest) -> HttpResponse:
    return PROGRAMMES.list_page(
        request,
        services.create_programme,
        success=_("Programme created. Add its modules."),
        template="training/programmes.html",
        context={"programmes": selectors.list_programmes(request.actor)},
    )


@staff_required
@on_record(selectors.get_programme, "programme_id")
def programme(request: ActorRequest, record: Programme) -> HttpResponse:
    return PROGRAMMES.page(
        request,
        record,
        "training/programme.html",
        lambda can_manage: {
            "programme": record,
            "hours": selectors.programme_hours(record),
            "courses": selectors.list_courses(request.actor, programme_id=record.pk)[:20],
            "module_form": ModuleForm() if can_manage else None,
        },
    )
