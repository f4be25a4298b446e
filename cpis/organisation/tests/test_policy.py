"""Who may do what, where: personas × actions × places, a row a case."""

import pytest

from cpis.organisation.policy import policy
from cpis.organisation.tests.policy_matrix import policy_matrix_test

MATRIX = [
    # persona, action, place, allowed
    ("officer_n1a", "view", "n1a", True),
    ("officer_n1a", "view", "n1b", False),
    ("officer_n1a", "view", "n1", False),
    ("officer_n1a", "view_personal_data", "n1a", False),
    ("officer_n1a", "manage_assignments", "n1a", False),
    ("officer_n1a", "edit_sector", "n1a", False),
    ("leader_n1a", "view", "n1a", True),
    ("leader_n1a", "edit_sector", "n1a", False),
    ("coordinator_n1", "view", "n1b", True),
    ("coordinator_n1", "edit_sector", "n1a", True),
    ("coordinator_n1", "manage_assignments", "n1a", False),
    ("coordinator_n1", "view_personal_data", "n1", False),
    ("commander_n1", "view", "n1", True),
    ("commander_n1", "view", "north", False),
    ("commander_n1", "view_personal_data", "n1a", True),
    ("commander_n1", "manage_assignments", "n1b", True),
    ("commander_n1", "edit_sector", "n1a", True),
    ("commander_n1", "manage_units", "n1", False),
    ("commander_n1", "view", "s1a", False),
    ("commander_s1", "view", "n1a", False),
    ("commander_s1", "manage_assignments", "n1a", False),
    ("director_north", "view", "n1a", True),
    ("director_north", "manage_assignments", "n1a", True),
    ("director_north", "view", "s1", False),
    ("directorate", "view", "s1a", True),
    ("directorate", "manage_units", "n1", True),
    ("standards", "view", "n1", True),
    ("standards", "view_personal_data", "n1", False),
    ("admin", "manage_units", "root", True),
    ("admin", "view_personal_data", "s1a", True),
    ("no_role", "view", "n1a", False),
    ("citizen", "view", "n1a", False),
    ("citizen", "view_personal_data", "n1a", False),
]


test_policy_matrix = policy_matrix_test(policy, MATRIX)


def test_every_action_in_the_policy_is_covered_by_the_matrix():
    assert {row[1] for row in MATRIX} == set(policy.rules)


def test_require_answers_404_outside_the_actors_places_and_403_inside(tree, actor_for):
    from django.core.exceptions import PermissionDenied
    from django.http import Http404

    with pytest.raises(Http404):
        policy.require(actor_for("commander_s1"), "manage_assignments", tree.n1a.path)
    with pytest.raises(PermissionDenied):
        policy.require(actor_for("officer_n1a"), "manage_assignments", tree.n1a.path)


def test_scope_fails_closed_for_an_actor_without_roles(tree, actor_for):
    from cpis.organisation.models import Unit

    assert not Unit.objects.filter(policy.scope(actor_for("citizen"), "view")).exists()
    visible = set(
        Unit.objects.filter(policy.scope(actor_for("commander_n1"), "view")).values_list("code", flat=True)
    )
    assert visible == {"n1", "n1a", "n1b"}
