"""Who may do what with concerns: personas × actions × places, a row a case."""

from cpis.concerns.policy import policy
from cpis.organisation.tests.policy_matrix import policy_matrix_test

MATRIX = [
    # persona, action, place, allowed
    ("officer_n1a", "view", "n1a", True),
    ("officer_n1a", "view", "n1b", False),
    ("officer_n1a", "view", "n1", False),
    ("officer_n1a", "enter", "n1a", True),
    ("officer_n1a", "triage", "n1a", False),
    ("officer_n1a", "assign", "n1a", False),
    ("officer_n1a", "work", "n1a", False),  # only the concerns assigned to them (services.can_work)
    ("officer_n1a", "view_contact", "n1a", False),
    ("officer_n1a", "export", "n1a", False),
    ("leader_n1a", "triage", "n1a", True),
    ("leader_n1a", "assign", "n1a", True),
    ("leader_n1a", "work", "n1a", True),
    ("leader_n1a", "view_contact", "n1a", True),
    ("leader_n1a", "export", "n1a", False),
    ("leader_n1a", "triage", "n1b", False),
    ("leader_n1a", "assign", "n1", False),
    ("coordinator_n1", "view", "n1", True),
    ("coordinator_n1", "triage", "n1b", True),
    ("coordinator_n1", "assign", "n1a", True),
    ("coordinator_n1", "view_contact", "n1a", True),
    ("coordinator_n1", "export", "n1", True),
    ("coordinator_n1", "view", "s1a", False),
    ("commander_n1", "work", "n1b", True),
    ("commander_n1", "export", "n1a", True),
    ("commander_n1", "triage", "north", False),
    ("commander_s1", "view", "n1a", False),
    ("commander_s1", "assign", "s1a", True),
    ("director_north", "triage", "n1a", True),
    ("director_north", "export", "north", True),
    ("director_north", "view", "s1", False),
    ("directorate", "assign", "s1a", True),
    ("directorate", "view_contact", "s1a", True),
    ("directorate", "export", "root", True),
    ("strategy_coordinator", "view", "n1a", True),
    ("strategy_coordinator", "enter", "n1a", False),
    ("strategy_coordinator", "triage", "n1a", False),
    ("strategy_coordinator", "view_contact", "n1a", False),
    ("standards", "view", "root", False),
    ("standards", "view", "n1a", False),
    ("standards", "enter", "n1a", False),
    ("admin", "triage", "n1a", True),
    ("admin", "view_contact", "s1a", True),
    ("no_role", "view", "n1a", False),
    ("citizen", "view", "n1a", False),
    ("citizen", "enter", "n1a", False),
    ("officer_n1a", "publish", "n1a", False),  # only the concerns assigned to them (services.can_publish)
    ("leader_n1a", "publish", "n1a", True),
    ("leader_n1a", "publish", "n1b", False),
    ("commander_n1", "publish", "n1b", True),
    ("strategy_coordinator", "publish", "n1a", False),
    ("citizen", "publish", "n1a", False),
]


test_policy_matrix = policy_matrix_test(policy, MATRIX)


def test_the_matrix_covers_every_action():
    assert {action for _persona, action, _place, _allowed in MATRIX} == set(policy.rules)
