"""Demo data for community safety forums: one MCSC per municipality, LPSCs
in many sectors and CSATs in some, members with Albanian, Serbian and
other communities' names, meetings across 2012–2016 and the last three
years (fewer in between) with attendance, minutes, decisions and action
items (some overdue), a few sites that need a new LPSC, trainers, tension
reports and press releases. Deterministic from the seed; bulk inserts only."""

from datetime import date

from django.db import transaction

from cpis.organisation.models import Unit, UnitKind

from ..models import Forum, ForumKind, ProposedSite
from .forums import Forums
from .meetings import Meetings
from .records import Records


def clear_demo() -> None:
    ProposedSite.objects.all().delete()
    Forum.objects.all().delete()  # members, meetings and the rest go with their forum


class _Builder(Forums, Meetings, Records):
    """The whole demo, made in a fixed order from one random source."""


@transaction.atomic
def load_demo(*, scale: str, seed: int, today: date) -> list[str]:
    if not Unit.objects.filter(kind=UnitKind.SECTOR).exists():
        return []
    builder = _Builder(seed=seed, today=today)
    forums = builder.forums()
    members = builder.members(forums)
    meetings = builder.meetings(forums, members)
    sites = builder.sites(forums)
    trainers = builder.trainers(members, forums)
    tensions = builder.tensions(forums)
    releases = builder.releases(forums)
    kinds = {kind: sum(1 for f in forums if f.kind == kind) for kind in ForumKind.values}
    return [
        f"Forums: {kinds['mcsc']} MCSCs, {kinds['lpsc']} LPSCs, {kinds['csat']} CSATs; "
        f"{sum(len(m) for m in members.values())} members; {meetings['meetings']} meetings "
        f"({meetings['attendance']} attendances, {meetings['decisions']} decisions, "
        f"{meetings['actions']} action items of which {meetings['overdue']} overdue); "
        f"{sites} proposed LPSC sites, {trainers} trainer engagements, {tensions} tension reports, "
        f"{releases} press releases."
    ]
