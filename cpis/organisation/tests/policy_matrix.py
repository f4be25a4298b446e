"""The test of an app's policy matrix, the same for every app. Its
`tests/test_policy.py` lists rows (persona, action, place, allowed); a row reads
as a sentence: persona may (True) or may not (False) do action at place, a unit
of the test tree (conftest.py at the root) named by its attribute there."""

from collections.abc import Callable, Sequence

import pytest

from cpis.organisation.access import PlacePolicy

Row = tuple[str, str, str, bool]


def policy_matrix_test(policy: PlacePolicy, matrix: Sequence[Row]) -> Callable[..., None]:
    """`test_policy_matrix = policy_matrix_test(policy, MATRIX)`: one case a row."""

    @pytest.mark.parametrize(("persona_name", "action", "place", "allowed"), matrix)
    def test_policy_matrix(tree, actor_for, persona_name, action, place, allowed):
        unit = getattr(tree, place)
        assert policy.can(actor_for(persona_name), action, unit.path) is allowed

    return test_policy_matrix
