"""The history every change of a problem, a priority or an entry of the
vulnerable register is written to, in the transaction of the change."""

from typing import Any

from cpis.organisation.access import Actor

from ..models import Change, Problem, SectorPriority, VulnerableEntry

Recorded = Problem | SectorPriority | VulnerableEntry


def record(record_of: Recorded, actor: Actor, what: str, **details: Any) -> Change:
    """One line of history: `what` happened, by the actor, with plain-value details."""
    if isinstance(record_of, Problem):
        target: dict[str, Recorded] = {"problem": record_of}
    elif isinstance(record_of, SectorPriority):
        target = {"priority": record_of}
    else:
        target = {"entry": record_of}
    clean = {
        k: (str(v) if not isinstance(v, (int, float, bool, list, type(None))) else v)
        for k, v in details.items()
    }
    return Change.objects.create(by_id=actor.user_id, what=what, details=clean, **target)
