"""Officer profiles for the personas (who logs, and whom the form ticks)."""

from datetime import date

import pytest

from cpis.organisation.tests.factories import AssignmentFactory, OfficerFactory


@pytest.fixture
def officer_for(tree, persona):
    """officer_for("officer_n1a", sector=tree.n1a) → the persona's officer
    profile, homed at the station and serving in `sector` since 2020."""

    def make(name, *, unit=None, sector=None):
        officer = OfficerFactory(user=persona(name), unit=unit or tree.n1)
        if sector is not None:
            AssignmentFactory(officer=officer, sector=sector, start_date=date(2020, 1, 1))
        return officer

    return make
