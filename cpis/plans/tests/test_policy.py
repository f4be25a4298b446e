"""Who may do what with the action plan: personas × actions × places. A row
reads as a sentence: persona may (True) or may not (False) do action at place.
Plan-wide actions (manage, freeze, sign) are checked at the root."""

import pytest

from cpis.plans.policy import policy

MATRIX = [
    # persona, action, place, allowed
    ("officer_n1a", "view", "n1a", True),
    ("officer_n1a", "report", "n1a", False),
    ("leader_n1a", "report", "n1a", True),
    ("leader_n1a", "report", "n1", False),
    ("coordinator_n1", "report", "n1", True),
    ("commander_n1", "report", "n1", True),
    ("commander_n1", "report", "s1", False),
    ("commander_n1", "manage", "root", False),
    ("commander_n1", "freeze", "root", False),
    ("commander_n1", "sign", "root", False),
    ("director_north", "report", "north", True),
    ("director_north", "report", "n1", True),
    ("director_north", "manage", "root", False),
    ("strategy_coordinator", "report", "root", True),
    ("strategy_coordinator", "manage", "root", True),
    ("strategy_coordinator", "freeze", "root", True),
    ("strategy_coordinator", "sign", "root", False),
    ("directorate", "manage", "root", True),
    ("directorate", "freeze", "root", True),
    ("directorate", "sign", "root", True),
    ("standards", "view", "root", False),
    ("standards", "report", "n1", False),
    ("admin", "manage", "root", True),
    ("admin", "sign", "root", False),
    ("no_role", "view", "n1a", False),
    ("citizen", "view", "n1a", False),
]


@pytest.mark.parametrize(("persona_name", "action", "place", "allowed"), MATRIX)
def test_policy_matrix(tree, actor_for, persona_name, action, place, allowed):
    unit = getattr(tree, place)
    assert policy.can(actor_for(persona_name), action, unit.path) is allowed
