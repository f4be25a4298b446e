"""Entries of the register of vulnerable persons for the tests: recorded
through the service, as a station commander would."""

from datetime import date, timedelta
from typing import Any

from django.utils import timezone

from cpis.organisation.access import Actor
from cpis.organisation.models import Officer, Unit
from cpis.problems.models import LegalBasis, Vulnerability, VulnerableEntry, VulnerableKind
from cpis.problems.services import vulnerable as services

NAME = "Shpresa Berisha"
DETAILS = "Lives alone on the third floor; a neighbour looks in on Sundays."


def entry_input(**fields: Any) -> services.EntryInput:
    values: dict[str, Any] = {
        "kind": VulnerableKind.PERSON,
        "name": NAME,
        "vulnerability": Vulnerability.ELDERLY,
        "details": DETAILS,
        "legal_basis": LegalBasis.PREVENTION,
        "identified_on": timezone.localdate() - timedelta(days=10),
    }
    return services.EntryInput(**(values | fields))


def record(
    actor: Actor, *, unit: Unit, officer: Officer, review_on: date | None = None, **fields: Any
) -> VulnerableEntry:
    return services.record_entry(
        actor,
        unit=unit,
        officer=officer,
        review_on=review_on or timezone.localdate() + timedelta(days=90),
        data=entry_input(**fields),
    )
