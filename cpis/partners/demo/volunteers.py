"""Volunteers with their hours, and the officers named in recognitions."""

from datetime import date, timedelta
from decimal import Decimal

from cpis.organisation.demo import demo_phone, demo_time
from cpis.organisation.models import Officer

from ..models import RecipientKind, Volunteer, VolunteerHours
from .builder import Demo
from .words import PLAN_END, PLAN_START, VOLUNTEER_ACTIVITIES


def _windows(start: date, end: date, today: date) -> list[tuple[date, date]]:
    """The parts of [start, end] in the plan's years and in the last three years."""
    recent = today - timedelta(days=3 * 365)
    windows = []
    for low, high in [(PLAN_START, PLAN_END), (recent, today)]:
        first, last = max(start, low), min(end, high)
        if first <= last:
            windows.append((first, last))
    return windows


def add_volunteers(demo: Demo) -> tuple[int, int]:
    """Volunteers for each group (and a few at stations without one), with hours
    given about every other month while they volunteered."""
    volunteers: list[tuple[Volunteer, str]] = []
    for group, community in demo.groups:
        for _n in range(demo.rng.randint(3, 8)):
            first, last = demo.person(community)
            joined = demo.day(group.founded_on, group.founded_on + timedelta(days=900))
            left = None
            if demo.rng.random() < 0.35:
                left = demo.day(joined + timedelta(days=60), joined + timedelta(days=1500))
                if left >= demo.today:
                    left = None
            contact = demo_phone(demo.rng) if demo.rng.random() < 0.8 else ""
            volunteers.append(
                (
                    Volunteer(
                        name=f"{first} {last}",
                        contact=contact,
                        group=group,
                        unit=group.unit,
                        unit_path=group.unit_path,
                        joined_on=joined,
                        left_on=left,
                        created_at=demo_time(joined),
                    ),
                    community,
                )
            )
    Volunteer.objects.bulk_create([v for v, _c in volunteers], batch_size=1000)
    hours = []
    for volunteer, community in volunteers:
        activities = VOLUNTEER_ACTIVITIES["serbian" if community == "serbian" else "albanian"]
        for start, end in _windows(volunteer.joined_on, volunteer.left_on or demo.today, demo.today):
            day = start + timedelta(days=demo.rng.randint(0, 40))
            while day <= end:
                hours.append(
                    VolunteerHours(
                        volunteer=volunteer,
                        date=day,
                        hours=Decimal(demo.rng.choice([1, 1.5, 2, 2, 3, 3, 4, 5, 6])).quantize(
                            Decimal("0.01")
                        ),
                        activity=demo.rng.choice(activities),
                        created_at=demo_time(day),
                    )
                )
                day += timedelta(days=demo.rng.randint(25, 90))
    VolunteerHours.objects.bulk_create(hours, batch_size=2000)
    return len(volunteers), len(hours)


def name_officers(demo: Demo) -> None:
    """Officers thanked are real demo officers of the awarding station."""
    officers: dict[str, list[str]] = {}
    for path, first, last in Officer.objects.values_list("unit__path", "first_name", "last_name"):
        station = "/".join(path.split("/")[:3]) + "/"
        officers.setdefault(station, []).append(f"{first} {last}")
    for recognition in demo.recognitions:
        names = officers.get(recognition.unit_path)
        if recognition.recipient_kind == RecipientKind.OFFICER and names:
            recognition.recipient_name = demo.rng.choice(names)
