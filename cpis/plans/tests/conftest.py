import pytest

from cpis.plans import services
from cpis.plans.spec import load_data_file


@pytest.fixture
def plan(tree):
    """The action plan 2012–2016, loaded from its data file."""
    plan, _created = services.load_plan_data(load_data_file())
    return plan
