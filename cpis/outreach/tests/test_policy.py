"""Who may do what with outreach records: personas × actions × places, a row a
case."""

from cpis.organisation.tests.policy_matrix import policy_matrix_test
from cpis.outreach.policy import policy

MATRIX = [
    # persona, action, place, allowed
    ("officer_n1a", "view", "n1a", True),
    ("officer_n1a", "log", "n1a", True),
    ("officer_n1a", "log", "n1b", False),
    ("officer_n1a", "log", "n1", False),
    ("officer_n1a", "manage", "n1a", False),
    ("leader_n1a", "log", "n1a", True),
    ("leader_n1a", "manage", "n1a", False),
    ("coordinator_n1", "log", "n1b", True),
    ("coordinator_n1", "manage", "n1a", True),
    ("coordinator_n1", "manage", "s1a", False),
    ("commander_n1", "view", "n1", True),
    ("commander_n1", "manage", "n1b", True),
    ("commander_n1", "view", "s1", False),
    ("commander_s1", "manage", "s1a", True),
    ("commander_s1", "log", "n1a", False),
    ("director_north", "manage", "n1a", True),
    ("director_north", "view", "s1a", False),
    ("directorate", "view", "s1a", True),
    ("directorate", "log", "root", True),
    ("directorate", "manage", "s1a", True),
    ("strategy_coordinator", "view", "n1a", True),
    ("strategy_coordinator", "log", "n1a", False),
    ("strategy_coordinator", "manage", "n1a", False),
    ("standards", "view", "n1a", False),
    ("standards", "log", "n1a", False),
    ("admin", "manage", "s1a", True),
    ("no_role", "view", "n1a", False),
    ("citizen", "view", "n1a", False),
    ("citizen", "log", "n1a", False),
]


test_policy_matrix = policy_matrix_test(policy, MATRIX)
