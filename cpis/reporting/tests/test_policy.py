"""Who may do what with the forum and partner reports: personas × actions ×
places. A row reads: persona may (True) or may not (False) do action at place."""

import pytest

from cpis.reporting.policy import policy

MATRIX = [
    ("officer_n1a", "view", "n1a", True),
    ("officer_n1a", "write", "n1a", False),
    ("leader_n1a", "write", "n1a", True),
    ("leader_n1a", "write", "n1b", False),
    ("leader_n1a", "review_station", "n1a", False),
    ("coordinator_n1", "write", "n1a", True),
    ("coordinator_n1", "review_station", "n1a", True),
    ("coordinator_n1", "review_station", "s1a", False),
    ("coordinator_n1", "review_regional_coordinator", "n1a", False),
    ("commander_n1", "review_station", "n1a", False),
    ("director_north", "review_regional_director", "n1a", True),
    ("director_north", "review_regional_director", "s1a", False),
    ("director_north", "review_directorate", "n1a", False),
    ("directorate", "review_directorate", "s1a", True),
    ("directorate", "write", "s1a", False),
    ("standards", "view", "n1a", False),
    ("admin", "review_directorate", "n1a", False),
    ("citizen", "view", "n1a", False),
]


@pytest.mark.parametrize(("persona_name", "action", "place", "allowed"), MATRIX)
def test_policy_matrix(tree, actor_for, persona_name, action, place, allowed):
    unit = getattr(tree, place)
    assert policy.can(actor_for(persona_name), action, unit.path) is allowed
