"""What the training pages share: the national "manage" check that guards
every write on trainers, programmes and study visits."""

from cpis.organisation.access import Actor

from .. import selectors
from ..policy import policy


def require_manage(actor: Actor) -> None:
    """Trainers, programmes and study visits are national records: 404 for
    those who see no training at all, 403 for those who see but may not manage."""
    policy.require_anywhere(actor, "manage", at=selectors.root_path())
