"""Writes of a problem's analysis: the entries of the problem-analysis
triangle (victim, offender, place, each with its controller), the
routine-activity notes, and the hypotheses with the evidence that supports
or rejects them. The owner, the team's officers and the leads of the place
may; every change goes to the problem's history in the same transaction."""

from django.db import transaction
from django.utils.translation import gettext as _

from cpis.core.errors import InvalidInput
from cpis.core.text import check_choice, clean_text
from cpis.organisation.access import Actor

from ..models import Hypothesis, HypothesisStatus, Problem, Side, TriangleEntry
from .history import record
from .problems import require_open, require_work

TEXT_LIMIT = 4000


def _side(side: str) -> str:
    return check_choice(side, Side.values, _("Choose a side of the triangle: victim, offender or place."))


def _problem_of(record: TriangleEntry | Hypothesis) -> Problem:
    """The record's problem as it is now (its stage decides whether it may change)."""
    return Problem.objects.select_related("unit").get(pk=record.problem_id)


def _description(text: str) -> str:
    return clean_text(text, limit=TEXT_LIMIT, required=True, missing=_("Say who or what it is."))


@transaction.atomic
def add_triangle_entry(
    actor: Actor, *, problem: Problem, side: str, description: str, controller: str = ""
) -> TriangleEntry:
    """Add an entry to a side of the triangle, with who controls it (its
    guardian, handler or manager) when known."""
    require_work(actor, problem)
    require_open(problem)
    entry = TriangleEntry.objects.create(
        problem=problem,
        side=_side(side),
        description=_description(description),
        controller=clean_text(controller, limit=TEXT_LIMIT, required=False),
        recorded_by_id=actor.user_id,
    )
    record(problem, actor, "triangle_added", side=entry.side, note=entry.description[:200])
    return entry


@transaction.atomic
def update_triangle_entry(
    actor: Actor, *, entry: TriangleEntry, side: str, description: str, controller: str = ""
) -> TriangleEntry:
    """Change an entry of the triangle: its side, what it says, its controller."""
    problem = _problem_of(entry)
    require_work(actor, problem)
    require_open(problem)
    entry = TriangleEntry.objects.select_for_update().get(pk=entry.pk)
    new = {
        "side": _side(side),
        "description": _description(description),
        "controller": clean_text(controller, limit=TEXT_LIMIT, required=False),
    }
    changed = [name for name, value in new.items() if getattr(entry, name) != value]
    if changed:
        for name in changed:
            setattr(entry, name, new[name])
        entry.save()
        record(
            problem, actor, "triangle_changed", side=entry.side, fields=changed, note=entry.description[:200]
        )
    return entry


@transaction.atomic
def delete_triangle_entry(actor: Actor, *, entry: TriangleEntry) -> None:
    """Take an entry off the triangle (its text stays in the history)."""
    problem = _problem_of(entry)
    require_work(actor, problem)
    require_open(problem)
    record(problem, actor, "triangle_removed", side=entry.side, note=entry.description[:200])
    entry.delete()


@transaction.atomic
def set_routine_activity(actor: Actor, *, problem: Problem, text: str) -> Problem:
    """Write the routine-activity notes: how a likely offender and a suitable
    target meet at a place, when, and with no capable guardian."""
    require_work(actor, problem)
    require_open(problem)
    problem = Problem.objects.select_for_update().get(pk=problem.pk)
    notes = clean_text(text, limit=10_000, required=False)
    if notes != problem.routine_activity:
        problem.routine_activity = notes
        problem.save(update_fields=["routine_activity", "updated_at"])
        record(problem, actor, "changed", fields=["routine_activity"])
    return problem


@transaction.atomic
def add_hypothesis(actor: Actor, *, problem: Problem, text: str) -> Hypothesis:
    """Add a hypothesis to be tested against the data."""
    require_work(actor, problem)
    require_open(problem)
    hypothesis = Hypothesis.objects.create(
        problem=problem,
        text=clean_text(text, limit=TEXT_LIMIT, required=True, missing=_("Write the hypothesis.")),
        recorded_by_id=actor.user_id,
    )
    record(problem, actor, "hypothesis_added", note=hypothesis.text[:200])
    return hypothesis


@transaction.atomic
def set_hypothesis_status(actor: Actor, *, hypothesis: Hypothesis, status: str, evidence: str) -> Hypothesis:
    """Say what the data showed: a hypothesis is supported or rejected only
    with its evidence written down; it may go back to be tested."""
    problem = _problem_of(hypothesis)
    require_work(actor, problem)
    require_open(problem)
    check_choice(
        status, HypothesisStatus.values, _("Choose whether the data supports the hypothesis or rejects it.")
    )
    evidence = clean_text(evidence, limit=TEXT_LIMIT, required=False)
    if status != HypothesisStatus.OPEN and not evidence:
        raise InvalidInput(_("Write the evidence that supports or rejects the hypothesis."))
    hypothesis = Hypothesis.objects.select_for_update().get(pk=hypothesis.pk)
    if (hypothesis.status, hypothesis.evidence) != (status, evidence):
        record(
            problem,
            actor,
            "hypothesis_tested",
            note=hypothesis.text[:200],
            **{"from": hypothesis.status, "to": status},
        )
        hypothesis.status = status
        hypothesis.evidence = evidence
        hypothesis.save(update_fields=["status", "evidence", "updated_at"])
    return hypothesis
