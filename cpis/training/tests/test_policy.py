"""Who may do what with training: personas × actions × places, a row a case.
National actions (trainers, programmes, study visits) are checked at the
root; a course or need at its unit; an officer's record at the officer's unit."""

from cpis.organisation.tests.policy_matrix import policy_matrix_test
from cpis.training.policy import policy

MATRIX = [
    # persona, action, place, allowed
    ("officer_n1a", "view", "n1a", True),
    ("officer_n1a", "manage_course", "n1a", False),
    ("officer_n1a", "view_records", "n1a", False),
    ("leader_n1a", "view_records", "n1a", False),
    ("leader_n1a", "manage_need", "n1a", False),
    ("coordinator_n1", "manage_course", "n1", True),
    ("coordinator_n1", "view_records", "n1a", True),
    ("coordinator_n1", "manage", "root", False),
    ("commander_n1", "manage_course", "n1", True),
    ("commander_n1", "manage_course", "north", False),
    ("commander_n1", "manage_course", "s1", False),
    ("commander_n1", "manage_need", "n1", True),
    ("commander_n1", "view_records", "n1b", True),
    ("commander_n1", "view_records", "s1a", False),
    ("commander_s1", "view_records", "n1a", False),
    ("director_north", "manage_course", "north", True),
    ("director_north", "manage_course", "root", False),
    ("director_north", "view_records", "n1a", True),
    ("director_north", "manage", "root", False),
    ("directorate", "manage", "root", True),
    ("directorate", "manage_course", "s1", True),
    ("directorate", "view_records", "s1a", True),
    ("strategy_coordinator", "manage", "root", True),
    ("strategy_coordinator", "manage_course", "root", True),
    ("strategy_coordinator", "view_records", "n1a", True),
    ("admin", "manage", "root", True),
    ("standards", "view", "root", False),
    ("standards", "view_records", "n1a", False),
    ("no_role", "view", "n1a", False),
    ("citizen", "view", "n1a", False),
]


test_policy_matrix = policy_matrix_test(policy, MATRIX)
