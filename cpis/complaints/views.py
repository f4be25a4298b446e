"""Professional standards' pages: the complaints they may see, with the
statutory clocks, and the decision the complainant is told."""

from collections.abc import Callable

from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from cpis.accounts.views import fresh_second_factor, purpose_required
from cpis.core.views import RecordPage
from cpis.organisation import selectors as organisation
from cpis.organisation.access import Actor, ActorRequest, staff_required

from . import selectors, services
from .forms import DecideForm, IdentifyForm, ReferForm
from .models import Complaint


@staff_required
def complaint_list(request: ActorRequest) -> HttpResponse:
    actor = request.actor
    complaints = selectors.list_complaints(actor, open_only=request.GET.get("all") != "1")[:500]
    return render(
        request, "complaints/list.html", {"complaints": complaints, "show_all": request.GET.get("all") == "1"}
    )


def _context(request: ActorRequest, complaint: Complaint) -> dict[str, object]:
    return {
        "complaint": complaint,
        "events": complaint.events.select_related("actor"),
        "decide_form": DecideForm(),
        "refer_form": ReferForm(),
        "identify_form": IdentifyForm(),
        "complainant": None,
    }


PAGE = RecordPage[Complaint]("complaints:detail", selectors.get_complaint, "complaints/detail.html", _context)


def _acknowledge(request: ActorRequest, actor: Actor, complaint: Complaint) -> HttpResponse:
    services.acknowledge_complaint(actor, complaint=complaint)
    return PAGE.done(request, complaint, _("Receipt acknowledged to the complainant."))


def _identify(request: ActorRequest, actor: Actor, complaint: Complaint) -> HttpResponse:
    form = IdentifyForm(request.POST)
    officer = None
    if form.is_valid():
        officer = organisation.find_officer_by_badge(form.cleaned_data["badge_number"])
        if officer is None:
            form.add_error("badge_number", _("No officer has this badge number."))
    if officer is None:
        return PAGE.invalid(request, complaint, identify_form=form)
    services.identify_officer(actor, complaint=complaint, officer=officer)
    return PAGE.done(
        request, complaint, _("Officer recorded. The officer and their superiors cannot see this complaint.")
    )


def _decide(request: ActorRequest, actor: Actor, complaint: Complaint) -> HttpResponse:
    form = DecideForm(request.POST)
    if not form.is_valid():
        return PAGE.invalid(request, complaint, decide_form=form)
    services.decide_complaint(actor, complaint=complaint, **form.cleaned_data)
    return PAGE.done(request, complaint, _("Decision recorded; the complainant is told in their language."))


def _refer(request: ActorRequest, actor: Actor, complaint: Complaint) -> HttpResponse:
    form = ReferForm(request.POST)
    if not form.is_valid():
        return PAGE.invalid(request, complaint, refer_form=form)
    services.refer_complaint(actor, complaint=complaint, text=form.cleaned_data["text"])
    return PAGE.done(request, complaint, _("Referred to the Police Inspectorate."))


ACTIONS: dict[str, Callable[[ActorRequest, Actor, Complaint], HttpResponse]] = {
    "acknowledge": _acknowledge,
    "identify": _identify,
    "decide": _decide,
    "refer": _refer,
}


@staff_required
@fresh_second_factor
@purpose_required(
    "complaints.complaint",
    gettext_lazy("a complaint against police"),
    back="complaints:list",
    get=selectors.get_complaint,
)
def complaint_detail(request: ActorRequest, complaint_id: int) -> HttpResponse:
    """A complaint in full: every opening is logged, with its purpose (asked
    first when none was given for this complaint lately)."""
    return PAGE.show(request, selectors.open_complaint(request.actor, complaint_id, request=request))


# The complainant's name and contact: personal data, the reading logged.
complaint_contact = staff_required(
    require_POST(fresh_second_factor(PAGE.reveal("complainant", selectors.get_complainant)))
)
complaint_act = staff_required(require_POST(PAGE.act_view(ACTIONS)))
