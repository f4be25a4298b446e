"""Who may do what with forums: personas × actions × places, a row a case."""

from cpis.forums.policy import policy
from cpis.organisation.tests.policy_matrix import policy_matrix_test

MATRIX = [
    # persona, action, place, allowed
    ("officer_n1a", "view", "n1a", True),
    ("officer_n1a", "view", "n1", False),
    ("officer_n1a", "manage", "n1a", False),
    ("officer_n1a", "view_contact", "n1a", False),
    ("officer_n1a", "export", "n1a", False),
    ("leader_n1a", "view", "n1a", True),
    ("leader_n1a", "manage", "n1a", True),
    ("leader_n1a", "view_contact", "n1a", True),
    ("leader_n1a", "manage", "n1b", False),
    ("leader_n1a", "view_contact", "n1b", False),
    ("leader_n1a", "manage", "n1", False),
    ("coordinator_n1", "manage", "n1", True),
    ("coordinator_n1", "view_contact", "n1a", True),
    ("coordinator_n1", "export", "n1", True),
    ("commander_n1", "manage", "n1b", True),
    ("commander_n1", "view_contact", "n1", True),
    ("commander_n1", "view", "s1a", False),
    ("commander_s1", "view_contact", "n1a", False),
    ("commander_s1", "manage", "s1a", True),
    ("director_north", "manage", "n1a", True),
    ("director_north", "view_contact", "n1a", False),
    ("director_north", "view", "s1", False),
    ("directorate", "manage", "s1a", True),
    ("directorate", "view_contact", "s1a", True),
    ("strategy_coordinator", "view", "n1a", True),
    ("strategy_coordinator", "manage", "n1a", False),
    ("strategy_coordinator", "view_contact", "n1a", False),
    ("standards", "view", "root", False),
    ("standards", "view_contact", "n1a", False),
    ("admin", "manage", "n1a", True),
    ("admin", "view_contact", "n1a", True),
    ("no_role", "view", "n1a", False),
    ("citizen", "view", "n1a", False),
]


test_policy_matrix = policy_matrix_test(policy, MATRIX)
