"""Staff pages of a sector's agreed priorities [2.5.3, 3.2.4]: the list of
the actor's places, a sector's priorities (and the panel its profile loads),
proposals made from the computed ranking, and one priority with its steps —
agree (at a forum meeting or by the station), edit, link problems, retire."""

from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext_lazy
from django.views.decorators.http import require_POST

from cpis.core.errors import DomainError
from cpis.core.forms import long_text, paginate, query_without_page
from cpis.core.htmx import template_for, vary_on_htmx
from cpis.core.views import RecordPage, on_record
from cpis.organisation.access import Actor, ActorRequest, staff_required

from ..models import AgreedBy, PriorityStatus, SectorPriority
from ..policy import policy
from ..selectors import priorities as selectors
from ..selectors import problems as problem_selectors
from ..services import priorities as services

# --- forms ---------------------------------------------------------------------------


class PriorityFilterForm(forms.Form):
    status = forms.ChoiceField(label=gettext_lazy("Status"), required=False)
    unit = forms.TypedChoiceField(label=gettext_lazy("Place"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", _("All")), *PriorityStatus.choices]  # type: ignore[attr-defined]
        self.fields["unit"].choices = [("", _("All")), *((u.pk, u.name) for u in units)]  # type: ignore[attr-defined]


class PriorityForm(forms.Form):
    issue = forms.CharField(label=gettext_lazy("Issue"), max_length=200)
    what_is_done = long_text(gettext_lazy("What is being done"), required=False, rows=4)
    rank = forms.IntegerField(
        label=pgettext_lazy("order of a priority", "Rank"), min_value=1, max_value=services.MAX_RANK
    )


class MeetingChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.forum.name} · {obj.starts_at:%Y-%m-%d}"


class AgreeForm(forms.Form):
    by = forms.ChoiceField(label=gettext_lazy("Agreed"), choices=AgreedBy.choices, widget=forms.RadioSelect)
    meeting = MeetingChoice(
        label=gettext_lazy("Forum meeting"),
        queryset=None,
        required=False,
        help_text=gettext_lazy("Held meetings of the forums that serve the sector."),
    )
    agreed_on = forms.DateField(
        label=gettext_lazy("Agreed on (by the station)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=gettext_lazy("Today if left empty; a forum meeting gives its own date."),
    )

    def __init__(self, *args: Any, meetings: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = meetings  # type: ignore[attr-defined]


class ProblemChoiceForm(forms.Form):
    problem: forms.ModelChoiceField = forms.ModelChoiceField(label=gettext_lazy("Problem"), queryset=None)

    def __init__(self, *args: Any, problems: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["problem"].queryset = problems  # type: ignore[attr-defined]


class RetireForm(forms.Form):
    note = long_text(gettext_lazy("Why it is no longer a priority"), limit=2000, required=False)


# --- lists ---------------------------------------------------------------------------


@staff_required
def priority_list(request: ActorRequest) -> HttpResponse:
    """The priorities of the actor's places, by sector and rank."""
    actor = request.actor
    policy.require_anywhere(actor, "view")
    units = list(problem_selectors.list_places(actor, "view"))
    form = PriorityFilterForm(request.GET or None, units=units)
    data = form.cleaned_data if form.is_valid() else {}
    unit = next((u for u in units if u.pk == data.get("unit")), None)
    rows = selectors.list_priorities(actor, status=data.get("status", ""), unit=unit)
    context = {
        "form": form,
        "page": paginate(request, rows),
        "query_string": query_without_page(request.GET),
    }
    return render(request, "problems/priorities.html", context)


def _sector_context(actor: Actor, sector: Any) -> dict[str, Any]:
    return {"sector": sector, "panel": selectors.sector_panel(actor, sector)}


@staff_required
@on_record(selectors.get_sector)
def sector_priorities(request: ActorRequest, sector: Any) -> HttpResponse:
    """A sector's agreed priorities and proposals, and its open problems."""
    return render(request, "problems/priorities_sector.html", _sector_context(request.actor, sector))


@staff_required
@on_record(selectors.get_sector)
def sector_panel(request: ActorRequest, sector: Any) -> HttpResponse:
    """The panel the sector's staff profile loads (htmx), or the sector's page."""
    template = template_for(request, "problems/priorities_sector.html", "panel")
    return vary_on_htmx(render(request, template, _sector_context(request.actor, sector)))


@staff_required
@require_POST
@on_record(selectors.get_sector)
def propose(request: ActorRequest, sector: Any) -> HttpResponse:
    """Proposals from the sector's computed ranking (those not proposed or agreed yet)."""
    try:
        made = services.propose_priorities(request.actor, sector=sector)
    except DomainError as exc:
        messages.error(request, str(exc))
    else:
        if made:
            messages.success(
                request,
                ngettext(
                    "%(count)s priority proposed from the ranking: "
                    "agree it at a forum meeting or as the station.",
                    "%(count)s priorities proposed from the ranking: "
                    "agree them at a forum meeting or as the station.",
                    len(made),
                )
                % {"count": len(made)},
            )
        else:
            messages.info(request, _("Everything the ranking puts forward is proposed or agreed already."))
    return redirect("problems:sector_priorities", sector_id=sector.pk)


# --- one priority ----------------------------------------------------------------------


def _context(request: ActorRequest, priority: SectorPriority) -> dict[str, Any]:
    actor = request.actor
    agree = selectors.may_agree(actor, priority.unit)
    context: dict[str, Any] = {
        "priority": priority,
        "problems": selectors.list_linked_problems(priority),
        "changes": selectors.list_changes(priority),
        "may_agree": agree and priority.status != PriorityStatus.RETIRED,
    }
    if context["may_agree"]:
        context |= {
            "edit_form": PriorityForm(
                initial={
                    "issue": priority.issue,
                    "what_is_done": priority.what_is_done,
                    "rank": priority.rank,
                }
            ),
            "agree_form": AgreeForm(
                initial={"by": priority.agreed_by_kind or AgreedBy.FORUM, "meeting": priority.meeting_id},
                meetings=selectors.list_meeting_choices(actor, priority.unit),
            ),
            "link_form": ProblemChoiceForm(problems=selectors.list_problem_choices(actor, priority)),
            "retire_form": RetireForm(),
        }
    return context


page = RecordPage("problems:priority", selectors.get_priority, "problems/priority.html", _context)
priority_detail = staff_required(page.view())


def _agree(request: ActorRequest, actor: Actor, priority: SectorPriority) -> HttpResponse:
    form = AgreeForm(request.POST, meetings=selectors.list_meeting_choices(actor, priority.unit))
    return page.step(
        request,
        priority,
        "agree_form",
        form,
        lambda data: services.agree_priority(
            actor, priority=priority, by=data["by"], meeting=data["meeting"], agreed_on=data["agreed_on"]
        ),
        success=_("The priority is recorded as agreed."),
    )


def _edit(request: ActorRequest, actor: Actor, priority: SectorPriority) -> HttpResponse:
    return page.step(
        request,
        priority,
        "edit_form",
        PriorityForm(request.POST),
        lambda data: services.update_priority(actor, priority=priority, **data),
        success=_("The priority is saved."),
    )


def _link(request: ActorRequest, actor: Actor, priority: SectorPriority) -> HttpResponse:
    return page.step(
        request,
        priority,
        "link_form",
        ProblemChoiceForm(request.POST, problems=selectors.list_problem_choices(actor, priority)),
        lambda data: services.link_problem(actor, priority=priority, problem=data["problem"]),
        success=_("The problem is linked to the priority."),
    )


def _unlink(request: ActorRequest, actor: Actor, priority: SectorPriority) -> HttpResponse:
    return page.step(
        request,
        priority,
        "unlink_form",
        ProblemChoiceForm(request.POST, problems=selectors.list_linked_problems(priority)),
        lambda data: services.unlink_problem(actor, priority=priority, problem=data["problem"]),
        success=_("The problem is no longer linked to the priority."),
    )


def _retire(request: ActorRequest, actor: Actor, priority: SectorPriority) -> HttpResponse:
    return page.step(
        request,
        priority,
        "retire_form",
        RetireForm(request.POST),
        lambda data: services.retire_priority(actor, priority=priority, note=data["note"]),
        success=_("The priority is retired: it no longer shows on the public sector page."),
    )


priority_step = staff_required(
    require_POST(
        page.act_view({"agree": _agree, "edit": _edit, "link": _link, "unlink": _unlink, "retire": _retire})
    )
)
