"""The staff workspace of problems: the list of the actor's places with its
filters and its CSV/XLSX export, a problem opened by hand or changed, and its
overview — what it is, its owner and team, its stage, closing and reopening,
and its history in words."""

from collections.abc import Callable, Iterable, Sequence
from typing import Any, TypeVar

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Model
from django.forms import Form
from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cpis.accounts.views import fresh_second_factor
from cpis.concerns import selectors as concern_selectors
from cpis.core.exports import download
from cpis.core.forms import PAGE_SIZE, form_page, paginate, query_without_page
from cpis.core.htmx import template_for, vary_on_htmx
from cpis.core.views import RecordPage, on_record, record_url
from cpis.forums import selectors as forum_selectors
from cpis.incidents import selectors as incident_selectors
from cpis.organisation.access import Actor, ActorRequest, staff_required
from cpis.partners import selectors as partner_selectors

from ..forms.problems import (
    CloseForm,
    FilterForm,
    NewProblemForm,
    OwnerForm,
    ProblemForm,
    ReopenForm,
    StageForm,
    TeamMemberForm,
)
from ..models import Problem
from ..policy import policy
from ..selectors import history, sources, workspace
from ..selectors import problems as selectors
from ..services import problems as services

M = TypeVar("M", bound=Model)

detail_url = record_url("problems:detail")

# The list's page sizes (`?per_page=`), as the concern queue offers them.
PAGE_SIZES = {"25", "50", "100", "200"}


def _pick(choices: Iterable[M], pk: int | None) -> M | None:
    """The record a form's choice names, from the choices it was offered."""
    return next((c for c in choices if c.pk == pk), None)


def _picked(choices: Iterable[M], pks: Sequence[int]) -> list[M]:
    wanted = set(pks)
    return [c for c in choices if c.pk in wanted]


def _cleaned(form: Form) -> dict[str, Any]:
    """What a filter form's valid fields say (a field in error is left out, the others still filter)."""
    if not form.is_bound:
        return {}
    form.is_valid()
    return form.cleaned_data


# The list and its export


def _filters(actor: Actor, params: QueryDict) -> tuple[FilterForm, selectors.Filters]:
    form = FilterForm(
        params or None,
        places=workspace.list_place_filter_choices(actor),
        owners=workspace.list_owner_filter_choices(actor),
    )
    data = _cleaned(form)
    place = data.get("unit")  # one of the places offered: the actor's
    return form, selectors.Filters(
        stage=data.get("stage") or "",
        outcome=data.get("outcome") or "",
        unit=selectors.get_place(actor, place) if place is not None else None,
        owner=data.get("owner"),
        mine=bool(data.get("mine")),
        search=data.get("q") or "",
        opened_from=data.get("opened_from"),
        opened_until=data.get("opened_until"),
    )


@staff_required
def problem_list(request: ActorRequest) -> HttpResponse:
    """The problems of my places, newest first, filtered, a page at a time."""
    actor = request.actor
    policy.require_anywhere(actor, "view")
    form, filters = _filters(actor, request.GET)
    per_page = int(request.GET["per_page"]) if request.GET.get("per_page") in PAGE_SIZES else PAGE_SIZE
    context = {
        "form": form,
        "page": paginate(request, selectors.list_problems(actor, filters), per_page),
        "query_string": query_without_page(request.GET),
        "can_open": policy.anywhere(actor, "open"),
    }
    return vary_on_htmx(render(request, template_for(request, "problems/list.html", "rows"), context))


@staff_required
def export(request: ActorRequest, fmt: str) -> HttpResponse:
    """The filtered list as CSV or XLSX: no citizen's name (the team is not in it)."""
    actor = request.actor
    policy.require_anywhere(actor, "view")
    _form, filters = _filters(actor, request.GET)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    header = [str(label) for label in workspace.EXPORT_HEADER]
    rows = workspace.export_rows(actor, filters)
    return download(header, rows, fmt, name=f"problems-{stamp}", title=_("Problems"))


# A problem opened by hand, and changed


def _categories(problem: Problem | None = None) -> tuple[list[Any], list[Any]]:
    """The incident and concern categories to choose from (and the problem's
    own, should one of them no longer be offered)."""
    incident = list(incident_selectors.list_categories())
    concern = list(concern_selectors.list_categories())
    if problem is not None:
        incident += [c for c in problem.incident_categories.all() if c not in incident]
        concern += [c for c in problem.concern_categories.all() if c not in concern]
    return incident, concern


def _codes(params: QueryDict, *names: str) -> set[str]:
    return {code.strip() for name in names for value in params.getlist(name) for code in value.split(",")}


def _prefill(params: QueryDict, incident: list[Any], concern: list[Any]) -> dict[str, Any]:
    """What another page sends to open a problem with: `title`, `description`
    and category codes (repeated or comma-separated) in `categories` (ticked
    in whichever taxonomy has the code), `incident_categories` or
    `concern_categories`; the place is `unit`."""
    return {
        "title": params.get("title", "")[:200],
        "description": params.get("description", "")[:10_000],
        "incident_categories": [
            c.pk for c in incident if c.code in _codes(params, "categories", "incident_categories")
        ],
        "concern_categories": [
            c.pk for c in concern if c.code in _codes(params, "categories", "concern_categories")
        ],
    }


@staff_required
def problem_new(request: ActorRequest) -> HttpResponse:
    """Open a problem by hand: its place, what it is, its categories and its
    owner (me, by default, if I serve there). Changing the place reloads the
    owners to choose from (htmx)."""
    actor = request.actor
    policy.require_anywhere(actor, "open")
    places = list(selectors.list_places(actor, "open"))
    incident, concern = _categories()
    data = request.POST if request.method == "POST" else None
    unit = _pick(places, _number((data or request.GET).get("unit"))) or (places[0] if places else None)
    owners = list(selectors.list_owner_choices(unit)) if unit is not None else []
    me = selectors.officer_of(actor)
    initial = _prefill(request.GET, incident, concern) | {
        "unit": unit.pk if unit is not None else None,
        "owner": me.pk if me is not None and me in owners else None,
    }
    form = NewProblemForm(
        data,
        initial=initial,
        places=places,
        owners=owners,
        incident_categories=incident,
        concern_categories=concern,
    )

    def save(cleaned: dict[str, Any]) -> Problem:
        place = _pick(places, cleaned["unit"])
        if place is None:  # the form offered only these places
            raise services.InvalidInput(_("Choose a sector, a station or a region as the problem's place."))
        return services.open_problem(
            actor,
            unit=place,
            title=cleaned["title"],
            description=cleaned["description"],
            incident_categories=_picked(incident, cleaned["incident_categories"]),
            concern_categories=_picked(concern, cleaned["concern_categories"]),
            owner=_pick(owners, cleaned["owner"]),
        )

    return form_page(
        request,
        form,
        save,
        success=_("The problem has been opened."),
        then=detail_url,
        template="problems/new.html",
    )


def _number(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


@staff_required
@on_record(selectors.get_problem)
def problem_edit(request: ActorRequest, problem: Problem) -> HttpResponse:
    """Change what the problem is: its title, description and categories (the
    routine-activity notes are the analysis's, the area the scanning's)."""
    actor = request.actor
    if not selectors.can_work(actor, problem):
        raise PermissionDenied(services.NotOnTheTeam.message)
    if not problem.is_open:
        messages.error(request, str(services.ProblemClosed.message))
        return redirect(detail_url(problem))
    incident, concern = _categories(problem)
    initial = {
        "title": problem.title,
        "description": problem.description,
        "incident_categories": [c.pk for c in problem.incident_categories.all()],
        "concern_categories": [c.pk for c in problem.concern_categories.all()],
    }
    form = ProblemForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        incident_categories=incident,
        concern_categories=concern,
    )

    def save(cleaned: dict[str, Any]) -> Problem:
        return services.update_problem(
            actor,
            problem=problem,
            title=cleaned["title"],
            description=cleaned["description"],
            incident_categories=_picked(incident, cleaned["incident_categories"]),
            concern_categories=_picked(concern, cleaned["concern_categories"]),
            area=problem.area,
            routine_activity=None,
        )

    return form_page(
        request,
        form,
        save,
        success=_("Changes saved."),
        then=detail_url,
        template="problems/edit.html",
        context={"problem": problem},
    )


# The overview and the steps on it


def _owner_form(problem: Problem, data: QueryDict | None = None) -> tuple[OwnerForm, list[Any]]:
    owners = list(selectors.list_owner_choices(problem.unit))
    return OwnerForm(data, initial={"owner": problem.owner_id}, owners=owners), owners


def _team_form(
    actor: Actor, problem: Problem, data: QueryDict | None = None
) -> tuple[TeamMemberForm, dict[str, list[Any]]]:
    choices: dict[str, list[Any]] = {
        "officers": list(selectors.list_owner_choices(problem.unit)),
        "partners": list(partner_selectors.list_partners_for_place(actor, problem.unit)),
        "forums": list(forum_selectors.list_forums_for_place(actor, problem.unit)),
    }
    return TeamMemberForm(data, initial={"kind": "officer"}, **choices), choices


def _overview(request: ActorRequest, problem: Problem) -> dict[str, Any]:
    actor = request.actor
    can_work = selectors.can_work(actor, problem)
    can_lead = policy.can(actor, "lead", problem.unit_path)
    team = list(workspace.list_team(problem))
    working = can_work and problem.is_open
    return {
        "problem": problem,
        "tab": "detail",
        "can_work": can_work,
        "can_lead": can_lead,
        "incident_categories": problem.incident_categories.all(),
        "concern_categories": problem.concern_categories.all(),
        "team": team,
        "has_citizen_contacts": any(m.citizen_contact for m in team),
        "history": history.history(selectors.list_changes(problem)),
        "owner_form": _owner_form(problem)[0] if can_lead and problem.is_open else None,
        "team_form": _team_form(actor, problem)[0] if working else None,
        "stage_form": StageForm(initial={"stage": problem.stage}) if working else None,
        "close_form": CloseForm() if working else None,
        "reopen_form": ReopenForm() if can_lead and not problem.is_open else None,
        # New concerns and incidents that match, for those who link them (the Scanning tab).
        "offers": sources.count_offers(problem, actor) if working else None,
    }


PAGE = RecordPage[Problem]("problems:detail", selectors.get_problem, "problems/detail.html", _overview)

problem_detail = staff_required(PAGE.view())

# The citizens' phones and e-mails on the team, for those who work the problem:
# asked for with a POST and a fresh second factor, every one shown written to the access log.
team_contacts = staff_required(
    require_POST(fresh_second_factor(PAGE.reveal("contacts", workspace.read_citizen_contacts)))
)


def _set_owner(request: ActorRequest, actor: Actor, problem: Problem) -> HttpResponse:
    form, owners = _owner_form(problem, request.POST)
    return PAGE.step(
        request,
        problem,
        "owner_form",
        form,
        lambda data: services.set_owner(actor, problem=problem, owner=_pick(owners, data["owner"])),
        success=_("The owner has been changed."),
    )


def _move_stage(request: ActorRequest, actor: Actor, problem: Problem) -> HttpResponse:
    return PAGE.step(
        request,
        problem,
        "stage_form",
        StageForm(request.POST),
        lambda data: services.move_stage(actor, problem=problem, stage=data["stage"], note=data["note"]),
        success=_("The stage has been changed."),
    )


def _close(request: ActorRequest, actor: Actor, problem: Problem) -> HttpResponse:
    return PAGE.step(
        request,
        problem,
        "close_form",
        CloseForm(request.POST),
        lambda data: services.close_problem(
            actor, problem=problem, outcome=data["outcome"], reason=data["reason"]
        ),
        success=_("The problem has been closed."),
    )


def _reopen(request: ActorRequest, actor: Actor, problem: Problem) -> HttpResponse:
    return PAGE.step(
        request,
        problem,
        "reopen_form",
        ReopenForm(request.POST),
        lambda data: services.reopen_problem(actor, problem=problem, note=data["note"]),
        success=_("The problem has been reopened at the response stage."),
    )


def _add_member(request: ActorRequest, actor: Actor, problem: Problem) -> HttpResponse:
    form, choices = _team_form(actor, problem, request.POST)

    def save(data: dict[str, Any]) -> object:
        return services.add_team_member(
            actor,
            problem=problem,
            kind=data["kind"],
            officer=_pick(choices["officers"], data["officer"]),
            partner=_pick(choices["partners"], data["partner"]),
            forum=_pick(choices["forums"], data["forum"]),
            citizen_name=data["citizen_name"],
            citizen_contact=data["citizen_contact"],
            consent_on=data["consent_on"],
            role=data["role"],
        )

    return PAGE.step(request, problem, "team_form", form, save, success=_("They have joined the team."))


def _remove_member(request: ActorRequest, actor: Actor, problem: Problem) -> HttpResponse:
    member_id = _number(request.POST.get("member"))
    if member_id is None:
        raise Http404(_("Not found."))
    member = workspace.get_team_member(problem, member_id)
    services.remove_team_member(actor, member=member)
    return PAGE.done(request, problem, _("They have left the team."))


STEPS: dict[str, Callable[[ActorRequest, Actor, Problem], HttpResponse]] = {
    "owner": _set_owner,
    "stage": _move_stage,
    "close": _close,
    "reopen": _reopen,
    "team_add": _add_member,
    "team_remove": _remove_member,
}

# One step on the overview (owner, stage, close, reopen, the team); a refused
# form or a broken rule shows the overview again with the message.
problem_act = staff_required(require_POST(PAGE.act_view(STEPS)))
