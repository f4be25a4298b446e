"""Who may do what with the perception surveys: every action for every persona,
inside and outside the persona's places, a row a case; then the places that
matter most: questionnaires are designed at the root of the organisation, waves
are run at a region (or above)."""

from cpis.organisation.tests.policy_matrix import policy_matrix_test
from cpis.surveys.policy import policy

ACTIONS = ("view", "design", "run_waves", "collect", "review", "export")
EVERYTHING = frozenset(ACTIONS)
IN_A_SECTOR = frozenset({"view", "collect"})

# persona: (a place inside its places, a place outside them — or another inside for who
# holds the root —, what it may do inside).
SPEC: dict[str, tuple[str, str, frozenset[str]]] = {
    "officer_n1a": ("n1a", "n1b", IN_A_SECTOR),
    "leader_n1a": ("n1a", "n1", IN_A_SECTOR),
    "safeguarding_n1": ("n1a", "s1a", IN_A_SECTOR),
    # The station's coordinator reviews held responses and imports paper; the commander
    # also downloads the response-level data.
    "coordinator_n1": ("n1a", "s1a", IN_A_SECTOR | {"review"}),
    "commander_n1": ("n1b", "s1a", IN_A_SECTOR | {"review", "export"}),
    "commander_s1": ("s1a", "n1a", IN_A_SECTOR | {"review", "export"}),
    # A regional director runs the region's waves but designs no questionnaire.
    "director_north": ("n1a", "s1a", EVERYTHING - {"design"}),
    "directorate": ("n1a", "s1a", EVERYTHING),
    # The strategy's coordinator designs and runs surveys and reads them, but takes no
    # response at a door and reviews none.
    "strategy_coordinator": ("n1a", "s1a", frozenset({"view", "design", "run_waves", "export"})),
    "admin": ("n1a", "s1a", EVERYTHING),
    "standards": ("n1a", "s1a", frozenset()),
    "no_role": ("n1a", "s1a", frozenset()),
    "citizen": ("n1a", "s1a", frozenset()),
}
# Who holds a role at the root has no place outside: its second place is inside too.
NATIONAL = {"directorate", "strategy_coordinator", "standards", "admin"}

MATRIX = [
    (persona, action, place, action in allowed and (place == inside or persona in NATIONAL))
    for persona, (inside, outside, allowed) in SPEC.items()
    for action in ACTIONS
    for place in (inside, outside)
]

# The places of the records themselves: a questionnaire's is the root, a wave's its place.
MATRIX += [
    ("directorate", "design", "root", True),
    ("strategy_coordinator", "design", "root", True),
    ("admin", "design", "root", True),
    ("director_north", "design", "root", False),
    ("commander_n1", "design", "root", False),
    ("officer_n1a", "design", "root", False),
    ("director_north", "run_waves", "north", True),
    ("director_north", "run_waves", "root", False),
    ("director_north", "run_waves", "south", False),
    ("commander_n1", "run_waves", "n1", False),
    ("directorate", "run_waves", "root", True),
]

test_policy_matrix = policy_matrix_test(policy, MATRIX)


def test_the_matrix_covers_every_action_of_the_policy():
    assert set(ACTIONS) == set(policy.rules)
