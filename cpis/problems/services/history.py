"""The history every change of a problem or a priority is written to, in the
transaction of the change."""

from typing import Any

from cpis.organisation.access import Actor

from ..models import Change, Problem, SectorPriority


def record(record_of: Problem | SectorPriority, actor: Actor, what: str, **details: Any) -> Change:
    """One line of history: `what` happened, by the actor, with plain-value details."""
    target: dict[str, Problem | SectorPriority] = (
        {"problem": record_of} if isinstance(record_of, Problem) else {"priority": record_of}
    )
    clean = {
        k: (str(v) if not isinstance(v, (int, float, bool, list, type(None))) else v)
        for k, v in details.items()
    }
    return Change.objects.create(by_id=actor.user_id, what=what, details=clean, **target)
