"""Demo data for partners, consistent with the organisation demo: central
partners (ministries, the Office for Good Governance, OSCE, ICITAP, UNDP,
KFOR, religious communities, chambers of commerce), local partners of every
station and some sectors (the municipality, schools' parents' councils,
religious leaders, local businesses and media, village elders), their
contact people, memoranda with small signed PDFs, interest groups,
volunteers with hours, and recognitions. Dates fall in 2012–2016 (the
action plan's indicators) and in the last three years (recent work);
everything follows from `seed`, and rows are written in bulk."""

import random
from datetime import date

from django.db import transaction

from cpis.organisation.demo import delete_demo_rows, demo_names
from cpis.organisation.models import Unit, UnitKind

from ..models import Agreement, InterestGroup, Partner, PartnerContact, Recognition, Volunteer, VolunteerHours
from .builder import Demo
from .documents import save_agreements
from .volunteers import add_volunteers, name_officers
from .words import DOCUMENTS

__all__ = ["DOCUMENTS", "clear_demo", "load_demo"]


def clear_demo() -> None:
    delete_demo_rows(Recognition, VolunteerHours, Volunteer, InterestGroup, Agreement, Partner)


@transaction.atomic
def load_demo(*, scale: str, seed: int, today: date) -> list[str]:
    root = Unit.objects.filter(kind=UnitKind.DIRECTORATE).order_by("path").first()
    if root is None:
        return []
    demo = Demo(rng=random.Random(seed * 31 + 7), today=today, names=demo_names())  # noqa: S311 (demo data)
    demo.central(root)
    units = list(
        Unit.objects.filter(kind__in=[UnitKind.STATION, UnitKind.SECTOR])
        .select_related("municipality")
        .order_by("path")
    )
    stations = [u for u in units if u.kind == UnitKind.STATION]
    for station in stations:
        sectors = [u for u in units if u.kind == UnitKind.SECTOR and u.path.startswith(station.path)]
        demo.station(station, sectors)
    Partner.objects.bulk_create(demo.partners, batch_size=1000)
    PartnerContact.objects.bulk_create(demo.contacts, batch_size=1000)
    documents = save_agreements(demo.agreements)
    InterestGroup.objects.bulk_create([g for g, _c in demo.groups], batch_size=1000)
    volunteers, hours = add_volunteers(demo)
    name_officers(demo)
    Recognition.objects.bulk_create(demo.recognitions, batch_size=1000)
    return [
        f"Partners: {len(demo.partners)} partners with {len(demo.contacts)} contacts, "
        f"{len(demo.agreements)} agreements ({documents} with a signed PDF), "
        f"{len(demo.groups)} interest groups, {volunteers} volunteers with {hours} hour entries, "
        f"{len(demo.recognitions)} recognitions."
    ]
