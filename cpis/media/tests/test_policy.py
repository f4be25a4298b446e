"""Who may do what with the media log: personas × actions × places, a row a case."""

from cpis.media.policy import policy
from cpis.organisation.tests.policy_matrix import policy_matrix_test

MATRIX = [
    # persona, action, place, allowed
    ("officer_n1a", "view", "n1a", False),
    ("officer_n1a", "log", "n1a", False),
    ("leader_n1a", "view", "n1a", False),
    ("coordinator_n1", "view", "n1a", True),
    ("coordinator_n1", "log", "n1b", True),
    ("coordinator_n1", "manage", "n1a", True),
    ("coordinator_n1", "log", "s1a", False),
    ("commander_n1", "view", "n1", True),
    ("commander_n1", "log", "n1", True),
    ("commander_n1", "view", "s1", False),
    ("commander_n1", "view", "north", False),
    ("commander_n1", "manage_lists", "root", False),
    ("commander_s1", "view", "s1a", True),
    ("commander_s1", "view", "n1a", False),
    ("director_north", "view", "n1a", True),
    ("director_north", "log", "north", True),
    ("director_north", "view", "s1a", False),
    ("directorate", "view", "s1a", True),
    ("directorate", "log", "root", True),
    ("directorate", "manage_lists", "root", True),
    ("strategy_coordinator", "view", "n1a", True),
    ("strategy_coordinator", "log", "n1a", True),
    ("strategy_coordinator", "manage", "n1a", False),
    ("strategy_coordinator", "manage_lists", "root", True),
    ("standards", "view", "n1a", False),
    ("safeguarding_n1", "view", "n1a", False),
    ("personnel", "view", "n1a", False),
    ("admin", "manage", "s1a", True),
    ("admin", "manage_lists", "root", True),
    ("no_role", "view", "n1a", False),
    ("citizen", "view", "n1a", False),
]

test_policy_matrix = policy_matrix_test(policy, MATRIX)
