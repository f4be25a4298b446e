"""Training records to test against: a programme, trainers and officers."""

from datetime import date

import pytest

from cpis.organisation.tests.factories import OfficerFactory
from cpis.training.models import Level, Programme, Trainer


@pytest.fixture
def programme(db):
    return Programme.objects.create(
        title="Policimi në bashkësi – kursi bazë", level=Level.BASIC, approved_on=date(2012, 10, 15)
    )


@pytest.fixture
def trainer(db):
    return Trainer.objects.create(name="Sarah Mitchell", organisation="OSCE", certified_on=date(2012, 4, 20))


@pytest.fixture
def officers(tree):
    """Two officers at station N1 (one in a sector), one at station S1."""
    return {
        "n1": OfficerFactory(unit=tree.n1, badge_number="KP-10001", first_name="Arta", last_name="Gashi"),
        "n1a": OfficerFactory(unit=tree.n1a, badge_number="KP-10002", first_name="Blerim", last_name="Hoxha"),
        "s1": OfficerFactory(unit=tree.s1, badge_number="KP-20001", first_name="Milan", last_name="Jović"),
    }
