"""Who may do what with the forum and partner reports: personas × actions ×
places, a row a case."""

from cpis.organisation.tests.policy_matrix import policy_matrix_test
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


test_policy_matrix = policy_matrix_test(policy, MATRIX)
