import pytest
from django.utils import translation

from cpis.organisation.models import Officer
from cpis.problems.models import Problem
from cpis.problems.services import problems as services


@pytest.fixture(autouse=True)
def english():
    """Services' messages asserted in English (requests choose their own language)."""
    with translation.override("en"):
        yield


@pytest.fixture
def officer_n1a(tree, persona) -> Officer:
    """The officer profile of the persona officer_n1a, serving at station N1."""
    return Officer.objects.create(
        user=persona("officer_n1a"),
        unit=tree.n1,
        first_name="Arben",
        last_name="Krasniqi",
        badge_number="N1-001",
    )


@pytest.fixture
def problem(tree, actor_for, officer_n1a) -> Problem:
    """A problem in sector N1A, opened by its sector officer (its owner)."""
    return services.open_problem(
        actor_for("officer_n1a"),
        unit=tree.n1a,
        title="Burglaries at the market",
        description="Night break-ins.",
    )
