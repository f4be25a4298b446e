"""Who may analyse what: personas × actions × places, a row a case."""

from cpis.analytics.policy import policy
from cpis.organisation.tests.policy_matrix import policy_matrix_test

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


test_policy_matrix = policy_matrix_test(policy, MATRIX)
