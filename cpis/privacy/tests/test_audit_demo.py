"""The demo's access log: reads each reader's role allows at their place, on
the demo's days, a chain that holds, and exactly the two alerts planted in it
(a burst of reads by the station commander, repeated refused attempts by the
sector officer). Loading it again in place works though its entries stay."""

from datetime import date, timedelta

from cpis.accounts.models import AccessLogEntry, Outcome, Purpose
from cpis.concerns import demo as concerns_demo
from cpis.concerns.models import Concern
from cpis.concerns.policy import policy as concerns_policy
from cpis.core.periods import day_start
from cpis.forums import demo as forums_demo
from cpis.forums.models import ForumMember
from cpis.forums.policy import policy as forums_policy
from cpis.organisation.access import Actor
from cpis.organisation.demo import load_demo as load_organisation
from cpis.organisation.models import Officer
from cpis.organisation.policy import policy as organisation_policy
from cpis.partners import demo as partners_demo
from cpis.privacy import demo
from cpis.privacy.models import ChainCheck
from cpis.privacy.selectors import audit

TODAY = date(2026, 11, 1)
SEED = 2012
LOWER = (concerns_demo, forums_demo, partners_demo)


def load_everything() -> list[str]:
    """What `cpis load_demo` does, for the apps whose records the log reads."""
    for module in (demo, *reversed(LOWER)):
        module.clear_demo()
    load_organisation(scale="small", seed=SEED, today=TODAY)
    for module in LOWER:
        module.load_demo(scale="small", seed=SEED, today=TODAY)
    return demo.load_demo(scale="small", seed=SEED, today=TODAY)


def alerts() -> list[audit.Alert]:
    start, end = day_start(TODAY - timedelta(days=29)), day_start(TODAY + timedelta(days=1))
    return audit.list_alerts(Actor.system(), start=start, end=end)


def under(path: str, places: list[str]) -> bool:
    return any(path.startswith(place) for place in places)


def test_the_demo_log_is_consistent_and_holds_exactly_the_planted_alerts(db):
    lines = load_everything()
    [line] = [line for line in lines if line.startswith("Access log:")]
    assert "chain intact" in line
    # The demo's data-subject requests are answered today, through the services (their
    # reads are the officer's, for the person, and are tested with the requests).
    entries = list(AccessLogEntry.objects.exclude(purpose=Purpose.SUBJECT_REQUEST).select_related("user"))
    assert len(entries) > 1000
    days = {entry.at.astimezone(day_start(TODAY).tzinfo).date() for entry in entries}
    assert min(days) >= TODAY - timedelta(days=29) and max(days) < TODAY

    # Each read is of a record the reader's role may read at the reader's places.
    checks = {
        "concerns.concern": (
            concerns_policy,
            "view_contact",
            dict(Concern.objects.values_list("pk", "unit_path")),
        ),
        "forums.forummember": (
            forums_policy,
            "view_contact",
            dict(ForumMember.objects.values_list("pk", "forum__unit_path")),
        ),
        "organisation.officer": (
            organisation_policy,
            "view_personal_data",
            dict(Officer.objects.values_list("pk", "unit__path")),
        ),
    }
    actors = {entry.user_id: Actor.for_user(entry.user) for entry in entries}
    checked = 0
    for entry in entries:
        if entry.outcome != Outcome.READ or entry.subject_type not in checks:
            continue
        policy, action, paths = checks[entry.subject_type]
        assert under(paths[int(entry.subject_id)], policy.places(actors[entry.user_id], action)), entry
        checked += 1
    assert checked > 800
    # Refused attempts outside one's places are at concerns outside them.
    for entry in entries:
        if entry.outcome == Outcome.OUTSIDE:
            path = checks["concerns.concern"][2][int(entry.subject_id)]
            assert not under(path, concerns_policy.places(actors[entry.user_id], "view")), entry
    assert {e.purpose for e in entries if e.outcome == Outcome.READ} >= {
        "routine",
        "contact",
        "supervision",
        "other",
    }
    assert all(e.purpose_note for e in entries if e.purpose == "other")

    # Exactly the two alerts planted.
    found = alerts()
    assert [(a.kind, a.reader.username, a.count, a.peak) for a in found] == [
        ("refusals", demo.REFUSAL_BURST.username, demo.REFUSAL_BURST.count, demo.REFUSAL_BURST.count),
        ("reads", demo.READ_BURST.username, demo.READ_BURST.count, demo.READ_BURST.count),
    ]
    refusals, reads = found
    local = day_start(TODAY).tzinfo
    assert reads.start.astimezone(local).date() == TODAY - timedelta(days=6)
    assert reads.start.astimezone(local).time() >= demo.READ_BURST.starts
    assert reads.end - reads.start < timedelta(hours=1)
    assert refusals.start.astimezone(local).date() == TODAY - timedelta(days=3)
    assert refusals.end - refusals.start < timedelta(hours=1)
    assert (demo.READ_BURST.count, demo.REFUSAL_BURST.count) == (80, 7)

    # The chain was checked after the load.
    check = ChainCheck.objects.get()
    assert check.intact and check.entries == AccessLogEntry.objects.count() and check.checked_by is None

    # Loading again in place: the entries (and the logins they name) stay, new ones are added.
    kept = {user.username: user.pk for user in {entry.user for entry in entries}}
    load_everything()
    assert AccessLogEntry.objects.count() > len(entries)
    assert {a.reader.username: a.reader.pk for a in alerts()} == {
        name: kept[name] for name in (demo.READ_BURST.username, demo.REFUSAL_BURST.username)
    }
    assert ChainCheck.objects.filter(intact=True).count() == 2
