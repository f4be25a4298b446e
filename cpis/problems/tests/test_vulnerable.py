"""The register of vulnerable persons [3.1.3]: who records and reads it,
every read logged with its purpose, bad input changing nothing, the review
date that expires into the retention job, and what it holds about a person
for data-subject requests."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.test import RequestFactory
from django.utils import timezone

from cpis.accounts.audit import PurposeRequired, Restricted, restrict
from cpis.accounts.models import AccessLogEntry, Outcome, Purpose
from cpis.core import registry
from cpis.core.errors import InvalidInput
from cpis.organisation.access import Actor
from cpis.organisation.models import Officer
from cpis.problems.models import LegalBasis, Vulnerability, VulnerableEntry, VulnerableKind
from cpis.problems.selectors import vulnerable as selectors
from cpis.problems.services import vulnerable as services
from cpis.problems.tasks import erase_expired_vulnerable

from .vulnerable_entries import DETAILS, NAME, entry_input, record

TODAY = date(2027, 3, 15)


@pytest.fixture
def officer_s1(tree) -> Officer:
    return Officer.objects.create(unit=tree.s1, first_name="Drita", last_name="Hoxha", badge_number="S1-001")


@pytest.fixture
def entry(tree, actor_for, officer_n1a) -> VulnerableEntry:
    """A person in sector N1A, looked after by the sector officer officer_n1a."""
    return record(actor_for("commander_n1"), unit=tree.n1a, officer=officer_n1a)


def _post(purpose: str = "", note: str = ""):
    request = RequestFactory().post(
        "/staff/problems/vulnerable/1/reveal/", {"purpose": purpose, "purpose_note": note}
    )
    request.session = {}  # type: ignore[attr-defined]
    return request


# --- recording ---------------------------------------------------------------


def test_a_commander_records_an_entry_with_its_officer_and_review_date(entry, officer_n1a, persona):
    assert entry.kind == VulnerableKind.PERSON and entry.name == NAME and entry.details == DETAILS
    assert entry.officer == officer_n1a
    assert entry.unit_path.endswith("/n1a/")
    assert entry.reviewed_on is None
    assert entry.created_by == persona("commander_n1")


@pytest.mark.parametrize("who", ["leader_n1a", "commander_n1", "safeguarding_n1"])
def test_the_sector_leader_the_commander_and_safeguarding_record(tree, actor_for, officer_n1a, who):
    assert record(actor_for(who), unit=tree.n1a, officer=officer_n1a).pk


@pytest.mark.parametrize("who", ["officer_n1a", "coordinator_n1", "director_north", "directorate", "admin"])
def test_other_roles_at_the_place_may_not_record(tree, actor_for, officer_n1a, who):
    with pytest.raises(PermissionDenied):
        record(actor_for(who), unit=tree.n1a, officer=officer_n1a)
    assert not VulnerableEntry.objects.exists()


@pytest.mark.parametrize("who", ["commander_s1", "standards", "strategy_coordinator"])
def test_outside_their_places_or_policing_it_is_not_found(tree, actor_for, officer_n1a, who):
    expected = PermissionDenied if who == "strategy_coordinator" else Http404
    with pytest.raises(expected):
        record(actor_for(who), unit=tree.n1a, officer=officer_n1a)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"name": "   "}, "Give the name"),
        ({"kind": "family"}, "person or a group"),
        ({"vulnerability": "rich"}, "kind of vulnerability"),
        ({"legal_basis": "curiosity"}, "legal basis"),
        ({"identified_on": timezone.localdate() + timedelta(days=3)}, "today or earlier"),
        ({"details": "bell\x07"}, "not allowed"),
    ],
)
def test_bad_input_is_refused_with_a_reason_and_records_nothing(
    tree, actor_for, officer_n1a, change, message
):
    with pytest.raises(InvalidInput, match=message):
        record(actor_for("commander_n1"), unit=tree.n1a, officer=officer_n1a, **change)
    assert not VulnerableEntry.objects.exists()


def test_a_review_date_in_the_past_or_beyond_twelve_months_is_refused(tree, actor_for, officer_n1a):
    today = timezone.localdate()
    for review_on in (today, today - timedelta(days=1), services.latest_review(today) + timedelta(days=1)):
        with pytest.raises(InvalidInput, match="twelve months"):
            record(actor_for("commander_n1"), unit=tree.n1a, officer=officer_n1a, review_on=review_on)
    assert record(
        actor_for("commander_n1"), unit=tree.n1a, officer=officer_n1a, review_on=services.latest_review(today)
    ).pk


def test_the_officer_serves_at_the_station_of_the_entry(tree, actor_for, officer_s1, officer_n1a):
    with pytest.raises(InvalidInput, match="station"):
        record(actor_for("commander_n1"), unit=tree.n1a, officer=officer_s1)
    officer_n1a.is_active = False
    officer_n1a.save()
    with pytest.raises(InvalidInput, match="station"):
        record(actor_for("commander_n1"), unit=tree.n1a, officer=officer_n1a)
    assert not VulnerableEntry.objects.exists()


def test_a_region_is_no_place_for_an_entry(tree):
    officer = Officer.objects.create(unit=tree.north, first_name="A", last_name="B", badge_number="R-1")
    with pytest.raises(InvalidInput, match="sector or a station"):
        services.record_entry(
            Actor.system(),
            unit=tree.north,
            officer=officer,
            review_on=timezone.localdate() + timedelta(days=30),
            data=entry_input(),
        )


def test_twelve_months_ahead_is_the_same_day_or_the_months_last():
    assert services.months_after(date(2027, 3, 15), 12) == date(2028, 3, 15)
    assert services.months_after(date(2028, 2, 29), 12) == date(2029, 2, 28)
    assert services.months_after(date(2027, 8, 31), 6) == date(2028, 2, 29)


# --- changing, reviewing, appointing -----------------------------------------


def test_an_entry_is_corrected_and_bad_input_changes_nothing(entry, actor_for):
    commander = actor_for("commander_n1")
    services.update_entry(
        commander,
        entry=entry,
        data=entry_input(vulnerability=Vulnerability.DISABILITY, details="Uses a wheelchair."),
    )
    entry.refresh_from_db()
    assert entry.vulnerability == Vulnerability.DISABILITY and entry.details == "Uses a wheelchair."
    with pytest.raises(InvalidInput):
        services.update_entry(commander, entry=entry, data=entry_input(name="", details="gone"))
    entry.refresh_from_db()
    assert entry.name == NAME and entry.details == "Uses a wheelchair."


def test_the_appointed_officer_reads_but_does_not_change_their_entry(entry, actor_for):
    with pytest.raises(PermissionDenied):
        services.update_entry(actor_for("officer_n1a"), entry=entry, data=entry_input(name="X"))
    with pytest.raises(PermissionDenied):
        services.review_entry(
            actor_for("officer_n1a"), entry=entry, review_on=timezone.localdate() + timedelta(days=9)
        )


def test_a_review_records_today_and_the_next_date_at_most_twelve_months_ahead(entry, actor_for):
    safeguarding = actor_for("safeguarding_n1")
    today = timezone.localdate()
    with pytest.raises(InvalidInput):
        services.review_entry(
            safeguarding, entry=entry, review_on=services.latest_review(today) + timedelta(days=1)
        )
    entry.refresh_from_db()
    assert entry.reviewed_on is None
    services.review_entry(safeguarding, entry=entry, review_on=services.latest_review(today))
    entry.refresh_from_db()
    assert entry.reviewed_on == today and entry.review_on == services.latest_review(today)


def test_another_officer_of_the_station_is_appointed_but_not_one_of_another(
    tree, entry, actor_for, officer_s1
):
    colleague = Officer.objects.create(
        unit=tree.n1b, first_name="Luan", last_name="Gashi", badge_number="N1-002"
    )
    leader = actor_for("leader_n1a")
    services.appoint_officer(leader, entry=entry, officer=colleague)
    entry.refresh_from_db()
    assert entry.officer == colleague
    with pytest.raises(InvalidInput):
        services.appoint_officer(leader, entry=entry, officer=officer_s1)
    entry.refresh_from_db()
    assert entry.officer == colleague


# --- who reads it ------------------------------------------------------------


def _visible(actor: Actor) -> set[int]:
    return set(selectors.visible_entries(actor).values_list("pk", flat=True))


def test_the_chain_of_command_and_safeguarding_read_the_places_entries(tree, actor_for, officer_n1a, entry):
    in_b = record(actor_for("commander_n1"), unit=tree.n1b, officer=officer_n1a)
    at_station = record(actor_for("commander_n1"), unit=tree.n1, officer=officer_n1a)
    everything = {entry.pk, in_b.pk, at_station.pk}
    assert _visible(actor_for("leader_n1a")) == {entry.pk}
    for who in ("commander_n1", "director_north", "safeguarding_n1"):
        assert _visible(actor_for(who)) == everything, who
    assert _visible(actor_for("commander_s1")) == set()


@pytest.mark.parametrize(
    "who",
    ["coordinator_n1", "directorate", "strategy_coordinator", "admin", "standards", "no_role", "citizen"],
)
def test_no_one_else_sees_any_entry(entry, actor_for, who):
    actor = actor_for(who)
    assert _visible(actor) == set()
    assert not selectors.list_entries(actor, selectors.Filters()).exists()
    assert not selectors.may_open_register(actor)
    with pytest.raises(Http404):
        selectors.get_entry(actor, entry.pk)


def test_the_appointed_officer_reads_their_own_entries_and_not_anothers(tree, actor_for, entry, persona):
    colleague = Officer.objects.create(
        unit=tree.n1, first_name="Luan", last_name="Gashi", badge_number="N1-002"
    )
    anothers = record(actor_for("commander_n1"), unit=tree.n1a, officer=colleague)
    officer = actor_for("officer_n1a")
    assert _visible(officer) == {entry.pk}
    assert selectors.may_open_register(officer)
    request = _post(Purpose.CONTACT)
    assert selectors.read_entry(officer, entry, request=request).name == NAME
    with pytest.raises(Http404):
        selectors.get_entry(officer, anothers.pk)
    with pytest.raises(Http404):
        selectors.read_entry(officer, anothers, request=_post(Purpose.CONTACT))
    # Out of service, the officer no longer reads it.
    Officer.objects.filter(user=persona("officer_n1a")).update(is_active=False)
    assert _visible(officer) == set()


def test_the_list_has_no_names_and_marks_overdue_reviews(entry, actor_for):
    VulnerableEntry.objects.filter(pk=entry.pk).update(review_on=timezone.localdate() - timedelta(days=1))
    (row,) = selectors.list_entries(actor_for("commander_n1"), selectors.Filters())
    assert row.overdue
    assert {"name", "details"} <= row.get_deferred_fields()
    assert [
        r.pk for r in selectors.list_entries(actor_for("commander_n1"), selectors.Filters(overdue=True))
    ] == [entry.pk]
    assert not selectors.list_entries(actor_for("commander_n1"), selectors.Filters(kind=VulnerableKind.GROUP))
    rows = list(selectors.export_rows(actor_for("commander_n1"), selectors.Filters()))
    assert len(rows) == 1 and NAME not in str(rows) and DETAILS not in str(rows)


def test_the_appointed_officer_filters_their_own(tree, entry, actor_for):
    colleague = Officer.objects.create(
        unit=tree.n1, first_name="Luan", last_name="Gashi", badge_number="N1-002"
    )
    record(actor_for("commander_n1"), unit=tree.n1a, officer=colleague)
    mine = selectors.list_entries(actor_for("commander_n1"), selectors.Filters(mine=True))
    assert not mine.exists()  # the commander is appointed to none
    assert [e.pk for e in selectors.list_entries(actor_for("officer_n1a"), selectors.Filters(mine=True))] == [
        entry.pk
    ]


# --- every read logged, with its purpose -------------------------------------


def test_every_read_is_logged_with_its_purpose(entry, actor_for, persona):
    commander = actor_for("commander_n1")
    revealed = selectors.read_entry(
        commander, entry, request=_post(Purpose.OTHER, "Checking before a home visit")
    )
    assert (revealed.name, revealed.details) == (NAME, DETAILS)
    log = AccessLogEntry.objects.get()
    assert (log.user, log.subject_type, log.subject_id, log.outcome) == (
        persona("commander_n1"),
        "problems.vulnerableentry",
        str(entry.pk),
        Outcome.READ,
    )
    assert (log.purpose, log.purpose_note) == (Purpose.OTHER, "Checking before a home visit")


def test_a_read_without_a_purpose_is_refused_and_not_logged(entry, actor_for):
    commander = actor_for("commander_n1")
    for request in (_post(), RequestFactory().get("/"), None):
        with pytest.raises(PurposeRequired):
            selectors.read_entry(commander, entry, request=request)
    assert not AccessLogEntry.objects.exists()


def test_a_purpose_declared_for_the_entry_holds_for_the_change_form(entry, actor_for):
    request = _post(Purpose.SUPERVISION)
    selectors.read_entry(actor_for("commander_n1"), entry, request=request)
    get = RequestFactory().get("/")
    get.session = request.session  # type: ignore[attr-defined]
    assert selectors.require_declared_purpose(get, entry).purpose == Purpose.SUPERVISION
    assert selectors.read_for_change(actor_for("commander_n1"), entry, request=get).name == NAME
    assert list(AccessLogEntry.objects.values_list("purpose", flat=True)) == [Purpose.SUPERVISION] * 2
    with pytest.raises(PermissionDenied):
        selectors.read_for_change(actor_for("director_north"), entry, request=get)


def test_a_restricted_entry_is_not_shown(entry, actor_for, persona):
    restrict(
        subject_type="problems.vulnerableentry",
        subject_id=entry.pk,
        legal_reason="Contested",
        by_user_id=persona("admin").pk,
    )
    with pytest.raises(Restricted):
        selectors.read_entry(actor_for("commander_n1"), entry, request=_post(Purpose.CONTACT))


# --- the retention job -------------------------------------------------------


def _entry_due(tree, officer: Officer, review_on: date) -> VulnerableEntry:
    return VulnerableEntry.objects.create(
        kind=VulnerableKind.PERSON,
        name="X",
        vulnerability=Vulnerability.OTHER,
        unit=tree.n1a,
        unit_path=tree.n1a.path,
        officer=officer,
        legal_basis=LegalBasis.PREVENTION,
        identified_on=review_on - timedelta(days=300),
        review_on=review_on,
    )


def test_the_retention_job_erases_entries_unreviewed_past_their_grace(
    tree, officer_n1a, actor_for, persona, settings
):
    settings.VULNERABLE_REVIEW_GRACE_DAYS = 30
    expired = _entry_due(tree, officer_n1a, TODAY - timedelta(days=31))
    in_grace = _entry_due(tree, officer_n1a, TODAY - timedelta(days=30))
    reviewed = _entry_due(tree, officer_n1a, TODAY - timedelta(days=200))
    VulnerableEntry.objects.filter(pk=reviewed.pk).update(
        reviewed_on=TODAY - timedelta(days=40), review_on=TODAY + timedelta(days=100)
    )
    restricted = _entry_due(tree, officer_n1a, TODAY - timedelta(days=90))
    restrict(
        subject_type="problems.vulnerableentry",
        subject_id=restricted.pk,
        legal_reason="Evidence",
        by_user_id=persona("admin").pk,
    )
    line = services.erase_expired(TODAY)
    assert line == (
        "Vulnerable register: 1 entries erased after their review date passed unreviewed; "
        "1 kept under a restriction."
    )
    assert set(VulnerableEntry.objects.values_list("pk", flat=True)) == {
        in_grace.pk,
        reviewed.pk,
        restricted.pk,
    }
    assert not VulnerableEntry.objects.filter(pk=expired.pk).exists()
    # Run again: nothing more to do.
    assert services.erase_expired(TODAY).startswith("Vulnerable register: 0 entries erased")


def test_the_grace_comes_from_the_settings(tree, officer_n1a, settings):
    settings.VULNERABLE_REVIEW_GRACE_DAYS = 0
    _entry_due(tree, officer_n1a, TODAY - timedelta(days=1))
    services.erase_expired(TODAY)
    assert not VulnerableEntry.objects.exists()


def test_the_retention_job_runs_daily(tree, officer_n1a):
    assert ("cpis.problems.tasks.erase_expired_vulnerable", erase_expired_vulnerable) in registry.daily_jobs()
    _entry_due(tree, officer_n1a, timezone.localdate() - timedelta(days=365))
    assert erase_expired_vulnerable().startswith("Vulnerable register: 1 entries erased")
    assert not VulnerableEntry.objects.exists()
