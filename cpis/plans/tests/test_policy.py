"""Who may do what with the action plan: personas × actions × places, a row a
case. Plan-wide actions (manage, freeze, sign) are checked at the root."""

from cpis.organisation.tests.policy_matrix import policy_matrix_test
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
    # A region's evaluation: its director freezes and signs it, and nobody else's.
    ("director_north", "freeze", "north", True),
    ("director_north", "sign", "north", True),
    ("director_north", "freeze", "root", False),
    ("director_north", "sign", "root", False),
    ("director_north", "freeze", "south", False),
    ("director_north", "sign", "south", False),
    ("coordinator_north", "freeze", "north", True),
    ("coordinator_north", "sign", "north", False),
    ("coordinator_north", "freeze", "south", False),
    ("coordinator_north", "freeze", "root", False),
    ("commander_n1", "freeze", "north", False),
    ("commander_n1", "sign", "north", False),
    ("strategy_coordinator", "freeze", "north", True),
    ("strategy_coordinator", "sign", "north", False),
    ("directorate", "freeze", "south", True),
    ("directorate", "sign", "south", True),
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


test_policy_matrix = policy_matrix_test(policy, MATRIX)
