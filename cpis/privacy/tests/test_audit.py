"""The data-protection officer's audit trail: who may open it, the search,
the export (itself logged), the alerts and the checks of the hash chain."""

import csv
import io
from datetime import UTC, datetime, time, timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cpis.accounts.audit import GENESIS, append, seal
from cpis.accounts.models import AccessLogEntry, Outcome, Purpose
from cpis.accounts.tests.factories import UserFactory
from cpis.core import registry, scheduling
from cpis.organisation.access import Actor
from cpis.organisation.models import Role
from cpis.organisation.tests.factories import RoleGrantFactory
from cpis.privacy import tasks
from cpis.privacy.models import ChainCheck
from cpis.privacy.selectors import audit
from cpis.privacy.services import audit as services

AUDIT = reverse("privacy:audit")
EXPORT = reverse("privacy:audit_export")
CHECK = reverse("privacy:audit_check")


@pytest.fixture
def officer(tree):
    """The data-protection officer, at the root."""
    user = UserFactory(username="data.protection", first_name="Drita", last_name="Berisha")
    RoleGrantFactory(user=user, unit=tree.root, role=Role.DATA_PROTECTION_OFFICER)
    return user


@pytest.fixture
def dpo(officer):
    """The officer signed in, reading in English."""
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(officer)
    return client


def ago(**delta) -> datetime:
    return timezone.now() - timedelta(**delta)


def entry(user, at: datetime, **fields) -> AccessLogEntry:
    values = {
        "subject_type": "concerns.concern",
        "subject_id": "1",
        "outcome": Outcome.READ,
        "purpose": Purpose.ROUTINE,
        "source": "/staff/concerns/1/contact/",
        "client_ip": "10.1.2.3",
    } | fields
    return AccessLogEntry(user=user, at=at, **values)


def log(*entries: AccessLogEntry) -> list[AccessLogEntry]:
    """Written through the chain, in time order, as the demo writes."""
    return append(sorted(entries, key=lambda e: e.at))


def seqs(response) -> list[int]:
    return [line.entry.seq for line in response.context["page"]]


# --- who may open it --------------------------------------------------------------


def test_the_officer_sees_who_read_what_and_why(tree, dpo, persona):
    commander = persona("commander_n1")
    commander.first_name, commander.last_name = "Besnik", "Gashi"
    commander.save()
    log(
        entry(
            commander,
            ago(hours=3),
            subject_id="42",
            purpose=Purpose.OTHER,
            purpose_note="Verifikim i adresës",
            client_ip="10.9.8.7",
        )
    )
    response = dpo.get(AUDIT)
    assert response.status_code == 200
    html = response.content.decode()
    for shown in (
        "Besnik Gashi",
        "commander_n1",
        "Concern 42",
        "Another reason (say which)",
        "Verifikim i adresës",
        "/staff/concerns/1/contact/",
        "10.9.8.7",
    ):
        assert shown in html, shown


@pytest.mark.parametrize(
    "name", ["officer_n1a", "commander_n1", "directorate", "standards", "admin", "no_role"]
)
def test_no_one_else_finds_the_audit_trail(tree, client_for, name):
    client = client_for(name)
    assert client.get(AUDIT).status_code == 404
    assert client.get(EXPORT).status_code == 404
    assert client.post(CHECK).status_code == 404
    assert not ChainCheck.objects.exists()
    assert not AccessLogEntry.objects.filter(subject_type=audit.EXPORT_SUBJECT).exists()


def test_an_officer_whose_role_is_held_below_the_root_is_refused(tree):
    user = UserFactory(username="regional.dpo")
    RoleGrantFactory(user=user, unit=tree.north, role=Role.DATA_PROTECTION_OFFICER)
    client = Client()
    client.force_login(user)
    assert client.get(AUDIT).status_code == 403


def test_the_staff_bar_shows_the_officer_the_audit_trail_with_last_weeks_alerts(
    tree, dpo, client_for, persona, settings
):
    settings.ACCESS_ALERT_READS_PER_HOUR = 2
    reader = persona("commander_n1")
    log(*(entry(reader, ago(days=2, minutes=m)) for m in (1, 2, 3)))  # 3 reads within an hour
    log(*(entry(reader, ago(days=9, minutes=m)) for m in (1, 2, 3)))  # older than a week
    html = dpo.get(reverse("organisation:home")).content.decode()
    assert f'href="{AUDIT}">Audit trail <span class="badge badge-danger">1<' in html
    assert AUDIT not in client_for("commander_n1").get(reverse("organisation:home")).content.decode()


# --- the search -------------------------------------------------------------------


def test_entries_come_newest_first_a_page_at_a_time_with_a_fixed_number_of_queries(
    tree, dpo, persona, django_assert_max_num_queries
):
    reader = persona("leader_n1a")
    log(*(entry(reader, ago(minutes=10 * n), subject_id=str(n)) for n in range(3)))
    with django_assert_max_num_queries(14):
        first = dpo.get(AUDIT)
    log(*(entry(reader, ago(days=1, minutes=10 * n), subject_id=str(n)) for n in range(60)))
    with django_assert_max_num_queries(14):
        response = dpo.get(AUDIT)
    assert len(seqs(first)) == 3
    shown = [line.entry for line in response.context["page"]]
    assert len(shown) == 50 and response.context["page"].paginator.count == 63
    assert [e.at for e in shown] == sorted((e.at for e in shown), reverse=True)
    assert len(seqs(dpo.get(AUDIT, {"page": 2}))) == 13


def test_the_search_finds_a_reader_by_username_or_name(tree, dpo, persona):
    leader, commander = persona("leader_n1a"), persona("commander_n1")
    commander.first_name, commander.last_name = "Besnik", "Gashi"
    commander.save()
    by_leader, by_commander = log(entry(leader, ago(hours=2)), entry(commander, ago(hours=1)))
    assert seqs(dpo.get(AUDIT, {"reader": "leader_n1a"})) == [by_leader.seq]
    assert seqs(dpo.get(AUDIT, {"reader": "gashi"})) == [by_commander.seq]
    assert seqs(dpo.get(AUDIT, {"reader": "besnik GASHI"})) == [by_commander.seq]
    assert seqs(dpo.get(AUDIT, {"reader": "nobody"})) == []


def test_the_search_narrows_to_a_record_an_outcome_and_a_purpose(tree, dpo, persona):
    reader = persona("coordinator_n1")
    concern, member, outside, refused = log(
        entry(reader, ago(hours=4), subject_id="7", purpose=Purpose.CONTACT),
        entry(reader, ago(hours=3), subject_type="forums.forummember", subject_id="7"),
        entry(reader, ago(hours=2), subject_id="99", outcome=Outcome.OUTSIDE, purpose=""),
        entry(reader, ago(hours=1), subject_type="", subject_id="", outcome=Outcome.REFUSED, purpose=""),
    )
    assert seqs(dpo.get(AUDIT, {"subject_type": "concerns.concern", "subject_id": "7"})) == [concern.seq]
    assert seqs(dpo.get(AUDIT, {"subject_id": "7"})) == [member.seq, concern.seq]
    assert seqs(dpo.get(AUDIT, {"subject_type": "-"})) == [refused.seq]
    assert seqs(dpo.get(AUDIT, {"outcome": "refusals"})) == [refused.seq, outside.seq]
    assert seqs(dpo.get(AUDIT, {"outcome": "outside"})) == [outside.seq]
    assert seqs(dpo.get(AUDIT, {"purpose": "contact"})) == [concern.seq]
    # The record types to choose from are the ones in the log, by name.
    choices = dict(dpo.get(AUDIT).context["form"].fields["subject_type"].choices)
    assert choices == {
        "": "All",
        "concerns.concern": "Concern",
        "forums.forummember": "Forum member",
        "-": "No particular record",
    }


def test_the_period_is_the_last_30_days_unless_another_is_chosen(tree, dpo, persona):
    reader = persona("leader_n1a")
    today = timezone.localdate()
    at = lambda day, hour: timezone.make_aware(datetime.combine(day, time(hour)))  # noqa: E731
    old, month, week = log(
        entry(reader, at(today - timedelta(days=31), 10)),
        entry(reader, at(today - timedelta(days=20), 10)),
        entry(reader, at(today - timedelta(days=5), 10)),
    )
    response = dpo.get(AUDIT)
    assert seqs(response) == [week.seq, month.seq]
    assert response.context["form"]["since"].value() == (today - timedelta(days=29)).isoformat()
    day = (today - timedelta(days=31)).isoformat()
    assert seqs(dpo.get(AUDIT, {"since": day, "until": day})) == [old.seq]
    five = (today - timedelta(days=5)).isoformat()
    assert (
        seqs(dpo.get(AUDIT, {"since": five, "since_time": "09:00", "until": five, "until_time": "09:59"}))
        == []
    )
    assert seqs(
        dpo.get(AUDIT, {"since": five, "since_time": "09:00", "until": five, "until_time": "10:00"})
    ) == [week.seq]


@pytest.mark.parametrize(
    "query",
    [
        {"since": "2026-05-02", "until": "2026-05-01"},
        {"since": "2026-05-01", "since_time": "12:00", "until": "2026-05-01", "until_time": "11:00"},
        {"since": "0001-01-01"},
        {"until": "9999-12-31"},
        {"since": "yesterday"},
    ],
)
def test_a_period_that_is_no_period_is_refused_on_the_form(tree, dpo, query):
    response = dpo.get(AUDIT, query)
    assert response.status_code == 200
    assert response.context["form"].errors


# --- the export -------------------------------------------------------------------


def test_the_export_holds_the_matching_entries_and_is_itself_logged(tree, dpo, officer, persona):
    leader, commander = persona("leader_n1a"), persona("commander_n1")
    log(
        entry(leader, ago(hours=3), subject_id="5", purpose=Purpose.OTHER, purpose_note="=HYPERLINK(1)"),
        entry(leader, ago(hours=2), subject_id="6", purpose=Purpose.CONTACT),
        entry(commander, ago(hours=1), subject_id="7"),
    )
    response = dpo.get(EXPORT, {"reader": "leader_n1a"})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].startswith('attachment; filename="access-log-')
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:4] == ["Sequence number", "When", "Reader", "Reader's name"]
    assert [(r[2], r[6], r[8]) for r in rows[1:]] == [
        ("leader_n1a", "6", "Contacting the person about their report or case"),
        ("leader_n1a", "5", "Another reason (say which)"),
    ]
    assert rows[2][9] == "'=HYPERLINK(1)"  # a spreadsheet does not run it
    exported = AccessLogEntry.objects.get(subject_type=audit.EXPORT_SUBJECT)
    assert (exported.user, exported.subject_id, exported.purpose, exported.outcome) == (
        officer,
        "2",
        Purpose.SUPERVISION,
        Outcome.READ,
    )
    assert exported.source == f"{EXPORT}?reader"
    # The next export shows the first one among the officer's reads.
    again = dpo.get(EXPORT, {"reader": "data.protection"}).content.decode("utf-8-sig")
    assert "The access log (an export)" in again
    assert AccessLogEntry.objects.filter(subject_type=audit.EXPORT_SUBJECT).count() == 2


# --- alerts -----------------------------------------------------------------------


def at_minutes(*minutes: float) -> list[datetime]:
    start = datetime(2026, 11, 2, 8, 0, tzinfo=UTC)
    return [start + timedelta(minutes=m) for m in minutes]


def test_a_burst_is_a_run_of_windows_that_hold_enough_entries():
    assert audit.bursts(at_minutes(0, 10, 20, 59.9), 4) == [
        audit.Burst(*at_minutes(0, 59.9), count=4, peak=4)
    ]
    # A window is 60 minutes, its end excluded.
    assert audit.bursts(at_minutes(0, 10, 20, 60), 4) == []
    # Overlapping windows make one run; a quiet hour separates two.
    times = at_minutes(0, 10, 20, 50, 65, 75, 200, 201, 202, 203)
    assert audit.bursts(times, 4) == [
        audit.Burst(*at_minutes(0, 75), count=6, peak=4),
        audit.Burst(*at_minutes(200, 203), count=4, peak=4),
    ]
    assert audit.bursts(times, 5) == []


def test_alerts_find_more_reads_than_allowed_and_repeated_refusals_in_an_hour(tree, dpo, persona):
    busy, steady, prowler, unlucky = (
        persona("commander_n1"),
        persona("coordinator_n1"),
        persona("officer_n1a"),
        persona("leader_n1a"),
    )
    start = ago(days=3)
    log(
        # 61 reads in 50 minutes: more than 60.
        *(entry(busy, start + timedelta(seconds=50 * n), subject_id=str(n)) for n in range(61)),
        # 60 reads in 59 minutes: not more than 60.
        *(entry(steady, start + timedelta(seconds=59 * n), subject_id=str(n)) for n in range(60)),
        # 5 refused attempts (both kinds) within 40 minutes.
        *(
            entry(prowler, start + timedelta(minutes=10 * n), outcome=kind, purpose="")
            for n, kind in enumerate([Outcome.OUTSIDE] * 3 + [Outcome.REFUSED] * 2)
        ),
        # 5 refused attempts over two hours, 4 in the last one.
        *(
            entry(unlucky, start + timedelta(minutes=m), outcome=Outcome.OUTSIDE, purpose="")
            for m in (0, 70, 90, 110, 125)
        ),
    )
    found = audit.list_alerts(Actor.system(), start=ago(days=30), end=timezone.now())
    assert sorted((a.kind, a.reader, a.count, a.peak) for a in found) == [
        ("reads", busy, 61, 61),
        ("refusals", prowler, 5, 5),
    ]
    reads = next(a for a in found if a.is_reads)
    assert (reads.start, reads.end) == (start, start + timedelta(seconds=50 * 60))
    # The screen lists them, each with a link to its entries.
    response = dpo.get(AUDIT)
    assert response.context["alerts"] == found
    html = response.content.decode()
    local = timezone.localtime(reads.start)
    link = (
        f"?reader=commander_n1&amp;since={local:%Y-%m-%d}&amp;since_time={local:%H:%M}"
        f"&amp;until={timezone.localtime(reads.end):%Y-%m-%d}"
    )
    assert link in html
    query = {
        "reader": "commander_n1",
        "since": f"{local:%Y-%m-%d}",
        "since_time": f"{local:%H:%M}",
        "until": f"{timezone.localtime(reads.end):%Y-%m-%d}",
        "until_time": f"{timezone.localtime(reads.end):%H:%M}",
        "outcome": "read",
    }
    assert dpo.get(AUDIT, query).context["page"].paginator.count == 61


def test_the_thresholds_are_the_settings(tree, persona, settings):
    settings.ACCESS_ALERT_READS_PER_HOUR = 2
    settings.ACCESS_ALERT_REFUSALS_PER_HOUR = 2
    reader = persona("leader_n1a")
    start = ago(days=1)
    log(
        *(entry(reader, start + timedelta(minutes=m)) for m in (0, 1)),
        *(entry(reader, start + timedelta(minutes=m), outcome=Outcome.OUTSIDE) for m in (2, 3)),
    )
    assert [a.kind for a in audit.list_alerts(Actor.system(), start=ago(days=2), end=timezone.now())] == [
        "refusals"
    ]
    settings.ACCESS_ALERT_READS_PER_HOUR = 1
    assert len(audit.list_alerts(Actor.system(), start=ago(days=2), end=timezone.now())) == 2


# --- the chain --------------------------------------------------------------------


def test_checking_the_chain_records_what_was_found(tree, dpo, officer, persona):
    reader = persona("leader_n1a")
    log(*(entry(reader, ago(hours=n)) for n in range(3)))
    assert "The chain has not been checked yet." in dpo.get(AUDIT).content.decode()
    response = dpo.post(CHECK, follow=True)
    check = ChainCheck.objects.get()
    head = AccessLogEntry.objects.order_by("-seq").first()
    assert (check.checked_by, check.entries, check.intact, check.head_seq, check.head_hash) == (
        officer,
        3,
        True,
        head.seq,
        head.hash,
    )
    html = response.content.decode()
    assert "The access log is intact: 3 entries, up to entry 3." in html
    assert f"{head.seq}:{head.hash}" in html


def test_the_check_takes_the_last_intact_head_as_its_anchor(tree, persona):
    reader = persona("leader_n1a")
    log(entry(reader, ago(hours=2)))
    services.check_chain(Actor.system())
    log(entry(reader, ago(hours=1)))
    second = services.check_chain(Actor.system())
    assert second.intact and second.entries == 2
    assert audit.get_anchor() == (second.head_seq, second.head_hash)


def test_the_first_check_of_an_empty_log_anchors_nothing(tree, persona):
    empty = services.check_chain(Actor.system())
    assert empty.intact and empty.head_seq == 0 and empty.head_hash == GENESIS
    log(entry(persona("leader_n1a"), ago(hours=1)))
    assert services.check_chain(Actor.system()).intact


def test_a_forged_entry_breaks_the_chain_and_the_screen_says_where(tree, dpo, persona):
    reader = persona("leader_n1a")
    first, second = log(entry(reader, ago(hours=2)), entry(reader, ago(hours=1)))
    # Inserted behind the chain's back: it links to the head but its hash is made up.
    AccessLogEntry.objects.bulk_create(
        [entry(reader, ago(minutes=5), seq=3, prev_hash=second.hash, hash="f" * 64)]
    )
    dpo.post(CHECK)
    check = ChainCheck.objects.get()
    assert (check.intact, check.broken_at, check.problem) == (False, 3, "it was changed after it was written")
    html = dpo.get(AUDIT).content.decode()
    assert "Broken at entry 3: it was changed after it was written." in html
    assert first.hash == seal(first)


needs_sqlite = pytest.mark.skipif(
    connection.vendor == "postgresql", reason="PostgreSQL refuses UPDATE and DELETE on the access log"
)


@needs_sqlite
def test_a_changed_entry_breaks_the_chain(tree, dpo, persona):
    reader = persona("leader_n1a")
    log(*(entry(reader, ago(hours=n), subject_id=str(n)) for n in range(4)))
    AccessLogEntry.objects.filter(seq=2).update(purpose=Purpose.INVESTIGATION)
    response = dpo.post(CHECK, follow=True)
    assert "The access log is broken at entry 2: it was changed after it was written." in (
        response.content.decode()
    )
    assert ChainCheck.objects.get().broken_at == 2


@needs_sqlite
def test_removing_the_newest_entries_is_caught_by_the_anchor(tree, persona):
    reader = persona("leader_n1a")
    log(*(entry(reader, ago(hours=n)) for n in range(4)))
    services.check_chain(Actor.system())
    AccessLogEntry.objects.filter(seq__gte=3).delete()
    check = services.check_chain(Actor.system())
    assert (check.intact, check.broken_at, check.problem) == (
        False,
        4,
        "the noted head is no longer in the chain",
    )
    # A later check still measures against the last intact head.
    assert audit.get_anchor()[0] == 4


def test_the_daily_job_checks_the_chain_once_a_day(tree, persona):
    assert ("cpis.privacy.tasks.check_access_log", tasks.check_access_log) in registry.daily_jobs()
    log(entry(persona("leader_n1a"), ago(hours=1)))
    today = timezone.localdate()
    line = scheduling.run_daily("cpis.privacy.tasks.check_access_log", tasks.check_access_log, today=today)
    assert line is not None and line.startswith("Access log intact: 1 entries, head 1:")
    assert (
        scheduling.run_daily("cpis.privacy.tasks.check_access_log", tasks.check_access_log, today=today)
        is None
    )
    check = ChainCheck.objects.get()
    assert check.intact and check.checked_by is None


def test_verify_access_log_agrees_with_the_recorded_check(tree, persona, capsys):
    log(entry(persona("leader_n1a"), ago(hours=1)))
    check = services.check_chain(Actor.system())
    call_command("verify_access_log", anchor=f"{check.head_seq}:{check.head_hash}")
    assert f"Head: {check.head_seq}:{check.head_hash}" in capsys.readouterr().out
