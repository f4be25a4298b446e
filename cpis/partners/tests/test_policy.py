"""Who may do what with partners: personas × actions × places, a row a case;
the place is the one holding the record, and central partners are held by the root."""

from cpis.organisation.tests.policy_matrix import policy_matrix_test
from cpis.partners.policy import policy

MATRIX = [
    # persona, action, place, allowed
    ("officer_n1a", "view", "n1a", True),
    ("officer_n1a", "view", "n1", False),
    ("officer_n1a", "view", "n1b", False),
    ("officer_n1a", "manage", "n1a", False),
    ("officer_n1a", "view_contact", "n1a", False),
    ("leader_n1a", "view", "n1a", True),
    ("leader_n1a", "manage", "n1a", True),
    ("leader_n1a", "view_contact", "n1a", True),
    ("leader_n1a", "manage", "n1", False),
    ("leader_n1a", "manage", "n1b", False),
    ("leader_n1a", "view_contact", "n1b", False),
    ("coordinator_n1", "view", "n1", True),
    ("coordinator_n1", "manage", "n1", True),
    ("coordinator_n1", "manage", "n1a", True),
    ("coordinator_n1", "view_contact", "n1", True),
    ("coordinator_n1", "view_contact", "n1b", True),
    ("coordinator_n1", "view", "s1", False),
    ("coordinator_n1", "view", "root", False),
    ("coordinator_n1", "manage", "root", False),
    ("commander_n1", "manage", "n1", True),
    ("commander_n1", "view_contact", "n1a", True),
    ("commander_s1", "view", "n1", False),
    ("commander_s1", "view_contact", "n1a", False),
    ("commander_s1", "manage", "s1a", True),
    ("director_north", "view", "north", True),
    ("director_north", "manage", "n1a", True),
    ("director_north", "view_contact", "n1", True),
    ("director_north", "view", "s1", False),
    ("director_north", "manage", "root", False),
    ("directorate", "view", "root", True),
    ("directorate", "manage", "root", True),
    ("directorate", "view_contact", "root", True),
    ("directorate", "manage", "s1a", True),
    ("strategy_coordinator", "view", "root", True),
    ("strategy_coordinator", "view", "n1a", True),
    ("strategy_coordinator", "manage", "root", False),
    ("strategy_coordinator", "view_contact", "root", False),
    ("standards", "view", "root", False),
    ("standards", "view", "n1", False),
    ("standards", "view_contact", "n1", False),
    ("admin", "manage", "root", True),
    ("admin", "view_contact", "s1a", True),
    ("no_role", "view", "n1a", False),
    ("citizen", "view", "n1a", False),
    ("citizen", "view_contact", "root", False),
]


test_policy_matrix = policy_matrix_test(policy, MATRIX)
