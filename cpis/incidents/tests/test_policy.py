"""Who may do what with incidents: personas × actions × places, a row a case."""

from cpis.incidents.policy import policy
from cpis.organisation.tests.policy_matrix import policy_matrix_test

MATRIX = [
    # persona, action, place, allowed
    ("officer_n1a", "view", "n1a", True),
    ("officer_n1a", "view", "n1b", False),
    ("officer_n1a", "view", "n1", False),
    ("officer_n1a", "import", "root", False),
    ("leader_n1a", "view", "n1a", True),
    ("coordinator_n1", "view", "n1b", True),
    ("coordinator_n1", "view", "s1a", False),
    ("commander_n1", "view", "n1", True),
    ("commander_n1", "import", "n1", False),
    ("commander_s1", "view", "s1a", True),
    ("commander_s1", "view", "n1a", False),
    ("director_north", "view", "n1a", True),
    ("director_north", "view", "s1a", False),
    ("director_north", "import", "north", False),
    ("directorate", "view", "s1a", True),
    ("directorate", "view", "root", True),
    ("directorate", "import", "root", True),
    ("strategy_coordinator", "view", "n1a", True),
    ("strategy_coordinator", "import", "root", False),
    ("standards", "view", "n1a", False),
    ("standards", "view", "root", False),
    ("standards", "import", "root", False),
    ("admin", "view", "s1a", True),
    ("admin", "import", "root", True),
    ("no_role", "view", "n1a", False),
    ("citizen", "view", "n1a", False),
    ("citizen", "import", "root", False),
]


test_policy_matrix = policy_matrix_test(policy, MATRIX)
