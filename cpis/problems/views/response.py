"""The Response tab of a problem (its actions: add, change, mark done,
overdue ones highlighted) and the list of actions across the actor's places,
the owner's and the station's, with overdue ones first."""

from typing import Any

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from cpis.core.errors import DomainError
from cpis.core.forms import paginate, query_without_page
from cpis.core.views import RecordPage, flash_form_step
from cpis.organisation.access import ActorRequest, staff_required

from ..forms.problems import ActionFilterForm, ActionForm, CompleteActionForm, action_initial
from ..models import Problem
from ..policy import policy
from ..selectors import actions as selectors
from ..selectors import problems as problem_selectors
from ..services import actions as services
from .analysis import posted_on_problem, posted_on_record


def _context(request: ActorRequest, problem: Problem) -> dict[str, Any]:
    actor = request.actor
    today = timezone.localdate()
    can_work = problem_selectors.can_work(actor, problem)
    actions = list(selectors.list_problem_actions(problem))
    edit = request.GET.get("edit", "")
    editing = next((a for a in actions if str(a.pk) == edit), None) if can_work else None
    context: dict[str, Any] = {
        "problem": problem,
        "tab": "response",
        "can_work": can_work,
        "today": today,
        "rows": [{"action": a, "overdue": selectors.is_overdue(a, today)} for a in actions],
        "overdue_count": sum(selectors.is_overdue(a, today) for a in actions),
        "editing": editing,
        "done_form": CompleteActionForm(),
    }
    if can_work and problem.is_open:
        choices = selectors.action_choices(actor, problem)
        context["team_partners"], context["team_forums"] = choices.team_partners, choices.team_forums
        context["action_form"] = ActionForm(choices=choices)
        if editing is not None:
            context["edit_form"] = ActionForm(
                initial=action_initial(editing), choices=selectors.action_choices(actor, problem, editing)
            )
    return context


page = RecordPage("problems:response", problem_selectors.get_problem, "problems/response.html", _context)

response = staff_required(page.view())


@posted_on_problem
def action_add(request: ActorRequest, problem: Problem) -> HttpResponse:
    form = ActionForm(request.POST, choices=selectors.action_choices(request.actor, problem))
    return page.step(
        request,
        problem,
        "action_form",
        form,
        lambda _data: services.add_action(request.actor, problem=problem, **form.service_input()),
        success=_("The action is added to the response."),
    )


@posted_on_record
def action_change(request: ActorRequest, problem: Problem, action_id: int) -> HttpResponse:
    action = selectors.get_action(problem, action_id)
    form = ActionForm(request.POST, choices=selectors.action_choices(request.actor, problem, action))
    if form.is_valid():
        try:
            services.update_action(request.actor, action=action, **form.service_input())
        except DomainError as exc:
            form.add_error(None, str(exc))
        else:
            return page.done(request, problem, _("The action is changed."))
    return page.invalid(request, problem, editing=action, edit_form=form)


@posted_on_record
def action_done(request: ActorRequest, problem: Problem, action_id: int) -> HttpResponse:
    action = selectors.get_action(problem, action_id)
    done = flash_form_step(
        request,
        CompleteActionForm(request.POST),
        lambda data: services.complete_action(request.actor, action=action, **data),
        refused=_("Give the date the action was done and the evidence."),
        success=_("The action is done."),
    )
    if done:
        return redirect("problems:response", problem.pk)
    return page.invalid(request, problem)


@staff_required
def action_list(request: ActorRequest) -> HttpResponse:
    """Actions of problems at the actor's places: open by default, by due date
    so that overdue ones come first; only the actor's own, a place, a status,
    or the overdue ones."""
    actor = request.actor
    policy.require_anywhere(actor, "view")
    places = list(problem_selectors.list_places(actor, "view"))
    form = ActionFilterForm(request.GET or None, places=places)
    data = form.cleaned_data if form.is_valid() else {}
    filters = selectors.ActionFilters(
        mine=bool(data.get("mine")),
        unit=next((u for u in places if u.pk == data.get("place")), None),
        status=data.get("status") or selectors.OPEN,
        overdue=bool(data.get("overdue")),
    )
    today = timezone.localdate()
    listed = paginate(request, selectors.list_actions(actor, filters, today=today))
    context = {
        "form": form,
        "page": listed,
        "rows": [{"action": a, "overdue": selectors.is_overdue(a, today)} for a in listed],
        "overdue_all": selectors.count_overdue(actor, unit=filters.unit, today=today),
        "overdue_mine": selectors.count_overdue(actor, mine=True, today=today),
        "place": filters.unit,
        "query_string": query_without_page(request.GET),
        "today": today,
    }
    return render(request, "problems/actions.html", context)
