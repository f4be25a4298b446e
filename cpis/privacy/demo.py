"""Demo access log: 29 days of the demo logins' reads of personal data, each
of a record their role may read at their place (reporters' contacts, forum
members, partner contacts, volunteers, officers), with a purpose, on
working days in office hours; a few refused attempts; and two things the
data-protection officer should see among them:

- READ_BURST: `station.commander` reads the contacts of 80 reporters of the
  station within 53 minutes, six days ago (more than 60 within an hour);
- REFUSAL_BURST: `sector.officer` tries 7 concerns of another station, one
  after another, late in the evening three days ago (5 or more within an hour).

No one else comes near either alert: a session reads at most 25 records
within one clock hour, a person has at most one session in each hour (so any
60 minutes see at most 50 reads), and a refused attempt happens at most once
a day. Entries are written in time order through the chain (accounts.audit),
which is then checked. Access-log entries are never deleted: loading the demo
again in place adds another 29 days; `cpis load_demo --fresh` starts anew."""

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from cpis.accounts.audit import append
from cpis.accounts.models import AccessLogEntry, Outcome, Purpose
from cpis.concerns.models import Concern
from cpis.concerns.policy import policy as concerns_policy
from cpis.forums.models import ForumMember
from cpis.forums.policy import policy as forums_policy
from cpis.organisation.access import Actor
from cpis.organisation.models import Officer
from cpis.organisation.policy import policy as organisation_policy
from cpis.partners.models import PartnerContact, Volunteer
from cpis.partners.policy import policy as partners_policy

from . import demo_requests
from .selectors.audit import EXPORT_SUBJECT
from .services import audit

DAYS = 29
SESSION_MOST = 25  # reads in one sitting; two sittings in a row stay under the alert's 60


@dataclass(frozen=True)
class Burst:
    username: str
    days_ago: int
    starts: time
    count: int


READ_BURST = Burst("station.commander", 6, time(14, 5), 80)
REFUSAL_BURST = Burst("sector.officer", 3, time(21, 10), 7)

# Reasons staff typed for "another reason", kept as written (in Albanian).
OTHER_REASONS = [
    "Verifikim i adresës para vizitës në terren",
    "Kërkesë e prokurorisë për të dhënat e kontaktit",
    "Përgatitje për takimin e forumit të sigurisë",
    "Kontroll nëse raportimi është i dyfishtë",
]

# What each demo login reads on a working day: sittings (fewest, most), the
# most records read in one sitting, and the kinds of record, weighted.
HABITS: dict[str, tuple[tuple[int, int], int, dict[str, int]]] = {
    "sector.leader": ((1, 2), 15, {"concern": 5, "forum": 2, "partner": 1}),
    "station.coordinator": ((1, 3), SESSION_MOST, {"concern": 4, "forum": 3, "partner": 2, "volunteer": 1}),
    "station.commander": ((1, 2), SESSION_MOST, {"concern": 3, "officer": 3, "forum": 1}),
    "regional.coordinator": ((0, 2), 20, {"forum": 3, "concern": 2, "partner": 1}),
    "regional.director": ((0, 1), 10, {"officer": 3, "concern": 1}),
    "directorate": ((0, 1), 10, {"officer": 2, "forum": 1}),
    "admin": ((0, 1), 4, {"officer": 1}),
}
# Roles on duty at weekends now and then.
WEEKEND = {"sector.leader", "station.coordinator", "station.commander"}
PURPOSES = {
    "concern": [(Purpose.CONTACT, 6), (Purpose.ROUTINE, 2), (Purpose.INVESTIGATION, 1), (Purpose.OTHER, 1)],
    "forum": [(Purpose.ROUTINE, 4), (Purpose.CONTACT, 3)],
    "partner": [(Purpose.ROUTINE, 3), (Purpose.CONTACT, 2)],
    "volunteer": [(Purpose.ROUTINE, 2), (Purpose.CONTACT, 1)],
    "officer": [(Purpose.ROUTINE, 3), (Purpose.SUPERVISION, 2)],
}


@dataclass(frozen=True)
class Read:
    """Records read together (a forum's members, a partner's contacts) or one."""

    subject_type: str
    ids: list[int]
    source: str


Picker = Callable[[random.Random], Read]


def clear_demo() -> None:
    """The demo's data-subject requests; access-log entries and the checks of
    the chain are never deleted (on PostgreSQL the database refuses it)."""
    demo_requests.clear_requests()


def _contacts(actor: Actor) -> list[int]:
    """The concerns whose reporter left a contact that the actor may see."""
    return list(
        Concern.objects.filter(concerns_policy.scope(actor, "view_contact", "unit_path"), is_anonymous=False)
        .exclude(reporter_phone="", reporter_email="")
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def _pools(actor: Actor) -> dict[str, Picker | None]:
    """For each kind of record, a way to pick one the actor may read (None
    when there is none at the actor's places)."""
    concerns = _contacts(actor)
    forums: dict[int, list[int]] = {}
    for forum_id, member_id in (
        ForumMember.objects.filter(forums_policy.scope(actor, "view_contact", "forum__unit_path"))
        .order_by("forum_id", "pk")
        .values_list("forum_id", "pk")
    ):
        forums.setdefault(forum_id, []).append(member_id)
    partners: dict[int, list[int]] = {}
    for partner_id, contact_id in (
        PartnerContact.objects.filter(partners_policy.scope(actor, "view_contact", "partner__unit_path"))
        .order_by("partner_id", "pk")
        .values_list("partner_id", "pk")
    ):
        partners.setdefault(partner_id, []).append(contact_id)
    volunteers = list(
        Volunteer.objects.filter(partners_policy.scope(actor, "view_contact", "unit_path"))
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    officers = list(
        Officer.objects.filter(organisation_policy.scope(actor, "view_personal_data", "unit__path"))
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    # A forum or partner with more people than one sitting reads is left out.
    forums = {k: v for k, v in forums.items() if len(v) <= SESSION_MOST}
    partners = {k: v for k, v in partners.items() if len(v) <= SESSION_MOST}

    def picker(subject_type: str, groups: dict[int, list[int]], source: str) -> Picker | None:
        """Picks one group (its key in `source`); None when there is none."""
        keys = sorted(groups)

        def pick(rng: random.Random) -> Read:
            key = rng.choice(keys)
            return Read(subject_type, groups[key], source.format(key))

        return pick if keys else None

    return {
        "concern": picker("concerns.concern", {pk: [pk] for pk in concerns}, "/staff/concerns/{}/contact/"),
        "forum": picker("forums.forummember", forums, "/staff/forums/{}/contacts/"),
        "partner": picker("partners.partnercontact", partners, "/staff/partners/{}/"),
        "volunteer": picker(
            "partners.volunteer", {pk: [pk] for pk in volunteers}, "/staff/partners/volunteers/{}/"
        ),
        "officer": picker("organisation.officer", {pk: [pk] for pk in officers}, "/staff/officers/{}/"),
    }


def _moment(day: date, at: time) -> datetime:
    return timezone.make_aware(datetime.combine(day, at))


def _entry(
    user_id: int,
    read: Read,
    subject_id: object,
    at: datetime,
    address: str,
    purpose: str = "",
    note: str = "",
) -> AccessLogEntry:
    return AccessLogEntry(
        user_id=user_id,
        subject_type=read.subject_type,
        subject_id=str(subject_id),
        outcome=Outcome.READ,
        purpose=purpose,
        purpose_note=note,
        source=read.source,
        client_ip=address,
        at=at,
    )


def _refusal(
    user_id: int, outcome: str, subject: tuple[str, str], source: str, at: datetime, address: str
) -> AccessLogEntry:
    return AccessLogEntry(
        user_id=user_id,
        subject_type=subject[0],
        subject_id=subject[1],
        outcome=outcome,
        source=source,
        client_ip=address,
        at=at,
    )


class DemoLog:
    def __init__(self, *, seed: int, today: date) -> None:
        self.rng = random.Random(seed * 31 + 14)
        self.today = today
        users = get_user_model().objects.filter(
            username__in=[*HABITS, REFUSAL_BURST.username, "data.protection"]
        )
        self.users = {user.username: user for user in users}
        self.address = {
            name: f"10.20.{number}.{10 + number * 3}" for number, name in enumerate(sorted(self.users), 1)
        }
        self.entries: list[AccessLogEntry] = []

    def build(self) -> list[AccessLogEntry]:
        for username, (sittings, most, kinds) in HABITS.items():
            user = self.users.get(username)
            if user is not None:
                self._habit(username, user.pk, sittings, most, kinds)
        self._refused_now_and_then()
        self._read_burst()
        self._refusal_burst()
        self._export()
        return sorted(self.entries, key=lambda entry: entry.at)

    def _days(self) -> list[date]:
        return [self.today - timedelta(days=n) for n in range(DAYS, 0, -1)]

    def _habit(
        self, username: str, user_id: int, sittings: tuple[int, int], most: int, kinds: dict[str, int]
    ) -> None:
        pools = {kind: pick for kind, pick in _pools(Actor.for_user(self.users[username])).items() if pick}
        kinds = {kind: weight for kind, weight in kinds.items() if kind in pools}
        if not kinds:
            return
        for day in self._days():
            if username == READ_BURST.username and day == self.today - timedelta(days=READ_BURST.days_ago):
                continue  # that afternoon is the burst
            if day.weekday() >= 5:
                count = 1 if username in WEEKEND and self.rng.random() < 0.25 else 0
            else:
                count = self.rng.randint(*sittings)
            for hour in sorted(self.rng.sample(range(8, 18), count)):
                self._sitting(user_id, username, day, hour, most, pools, kinds)

    def _sitting(
        self,
        user_id: int,
        username: str,
        day: date,
        hour: int,
        most: int,
        pools: dict[str, Picker],
        kinds: dict[str, int],
    ) -> None:
        """Up to `most` reads (SESSION_MOST at the most) within one clock hour."""
        at = _moment(day, time(hour, self.rng.randint(0, 25), self.rng.randint(0, 59)))
        ends = _moment(day, time(hour, 59, 59))
        budget = self.rng.randint(min(3, most), min(most, SESSION_MOST))
        while budget > 0 and at < ends:
            kind = self.rng.choices(list(kinds), weights=list(kinds.values()))[0]
            read = pools[kind](self.rng)
            if len(read.ids) > budget:
                break
            purpose = self.rng.choices(*zip(*PURPOSES[kind], strict=True))[0]
            note = self.rng.choice(OTHER_REASONS) if purpose == Purpose.OTHER else ""
            for offset, pk in enumerate(read.ids):
                self.entries.append(
                    _entry(
                        user_id,
                        read,
                        pk,
                        at + timedelta(milliseconds=3 * offset),
                        self.address[username],
                        purpose,
                        note,
                    )
                )
            budget -= len(read.ids)
            at += timedelta(seconds=self.rng.randint(20, 240))

    def _refused_now_and_then(self) -> None:
        """Once in a while a refused attempt: a sector officer asking for a
        reporter's contact (not their role's), others opening a concern of a
        place not theirs; at most once a day each."""
        outside = list(Concern.objects.order_by("pk").values_list("pk", "unit_path")[:2000])
        for username, user in sorted(self.users.items()):
            if username == "data.protection" or not outside:
                continue
            actor = Actor.for_user(user)
            mine = concerns_policy.places(actor, "view")
            theirs = [pk for pk, path in outside if not any(path.startswith(place) for place in mine)]
            for day in self._days():
                if day == self.today - timedelta(days=REFUSAL_BURST.days_ago) or self.rng.random() >= 0.04:
                    continue
                at = _moment(
                    day, time(self.rng.randint(8, 17), self.rng.randint(0, 59), self.rng.randint(0, 59))
                )
                if username == REFUSAL_BURST.username and mine:
                    concern = Concern.objects.filter(unit_path__startswith=mine[0]).order_by("pk").first()
                    if concern is not None:
                        source = f"/staff/concerns/{concern.pk}/contact/"
                        self.entries.append(
                            _refusal(user.pk, Outcome.REFUSED, ("", ""), source, at, self.address[username])
                        )
                elif theirs:
                    pk = self.rng.choice(theirs)
                    subject = ("concerns.concern", str(pk))
                    self.entries.append(
                        _refusal(
                            user.pk,
                            Outcome.OUTSIDE,
                            subject,
                            f"/staff/concerns/{pk}/",
                            at,
                            self.address[username],
                        )
                    )

    def _read_burst(self) -> None:
        user = self.users.get(READ_BURST.username)
        if user is None:
            return
        concerns = _contacts(Actor.for_user(user))
        if len(concerns) < READ_BURST.count:
            return
        day = self.today - timedelta(days=READ_BURST.days_ago)
        at = _moment(day, READ_BURST.starts) + timedelta(seconds=self.rng.randint(0, 59))
        for pk in self.rng.sample(concerns, READ_BURST.count):
            read = Read("concerns.concern", [pk], f"/staff/concerns/{pk}/contact/")
            self.entries.append(
                _entry(user.pk, read, pk, at, self.address[user.username], Purpose.SUPERVISION)
            )
            at += timedelta(seconds=self.rng.randint(20, 40))

    def _refusal_burst(self) -> None:
        user = self.users.get(REFUSAL_BURST.username)
        if user is None:
            return
        mine = concerns_policy.places(Actor.for_user(user), "view")
        station = "/".join(mine[0].split("/")[:3]) + "/" if mine else ""
        others = list(
            Concern.objects.exclude(unit_path__startswith=station)
            .order_by("pk")
            .values_list("pk", flat=True)[:500]
        )
        if not station or len(others) < REFUSAL_BURST.count:
            return
        at = _moment(self.today - timedelta(days=REFUSAL_BURST.days_ago), REFUSAL_BURST.starts)
        for pk in self.rng.sample(others, REFUSAL_BURST.count):
            subject = ("concerns.concern", str(pk))
            source = f"/staff/concerns/{pk}/"
            self.entries.append(
                _refusal(user.pk, Outcome.OUTSIDE, subject, source, at, self.address[user.username])
            )
            at += timedelta(seconds=self.rng.randint(120, 360))

    def _export(self) -> None:
        """The officer exported the station commander's entries once, ten days ago."""
        officer, commander = self.users.get("data.protection"), self.users.get(READ_BURST.username)
        if officer is None or commander is None:
            return
        at = _moment(self.today - timedelta(days=10), time(10, 42, 7))
        rows = sum(1 for entry in self.entries if entry.user_id == commander.pk and entry.at < at)
        read = Read(EXPORT_SUBJECT, [], "/staff/privacy/audit/export.csv?outcome&reader&since&until")
        self.entries.append(
            _entry(officer.pk, read, rows, at, self.address[officer.username], Purpose.SUPERVISION)
        )


def load_demo(*, scale: str, seed: int, today: date) -> list[str]:
    entries = DemoLog(seed=seed, today=today).build()
    for start in range(0, len(entries), 2000):
        append(entries[start : start + 2000])
    requests = demo_requests.load_requests(scale=scale, seed=seed, today=today)
    check = audit.check_chain(Actor.system())
    return [
        *requests,
        f"Access log: {len(entries)} demo reads and refused attempts over {DAYS} days, with a burst of reads "
        f"and repeated refused attempts for the data-protection officer (sign in as data.protection); "
        f"chain {'intact' if check.intact else 'BROKEN'} up to entry {check.head_seq}.",
    ]
