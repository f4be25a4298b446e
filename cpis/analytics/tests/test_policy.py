"""Who may analyse what: personas × actions × places. A row reads as a
sentence: persona may (True) or may not (False) do action at place."""

import pytest

from cpis.analytics.policy import policy

MATRIX = [
    # persona, action, place, allowed
    ("officer_n1a", "view", "n1a", True),
    ("officer_n1a", "view", "n1", False),
    ("officer_n1a", "run", "n1a", True),
    ("officer_n1a", "review", "n1a", False),
    ("leader_n1a", "review", "n1a", True),
    ("leader_n1a", "review", "n1b", False),
    ("coordinator_n1", "review", "n1b", True),
    ("commander_n1", "view", "n1", True),
    ("commander_n1", "view", "s1", False),
    ("commander_s1", "run", "n1a", False),
    ("director_north", "review", "n1a", True),
    ("director_north", "view", "s1a", False),
    ("directorate", "view", "root", True),
    ("directorate", "review", "s1a", True),
    ("strategy_coordinator", "view", "root", True),
    ("strategy_coordinator", "review", "n1a", False),
    ("standards", "view", "n1a", False),
    ("standards", "run", "root", False),
    ("admin", "review", "s1a", True),
    ("no_role", "view", "n1a", False),
    ("citizen", "view", "n1a", False),
    ("citizen", "run", "n1a", False),
]


@pytest.mark.parametrize(("persona_name", "action", "place", "allowed"), MATRIX)
def test_policy_matrix(tree, actor_for, persona_name, action, place, allowed):
    unit = getattr(tree, place)
    assert policy.can(actor_for(persona_name), action, unit.path) is allowed
