"""The personal-data access log: purposes, the hash chain and its check, refused
attempts, restriction of processing, and on PostgreSQL the database's refusal to
change or remove an entry (docs/decisions/0014)."""

from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from cpis.accounts import audit
from cpis.accounts.management.commands.grant_app_role import grant_statements
from cpis.accounts.models import AccessLogEntry, Outcome, Purpose
from cpis.concerns import selectors as concerns
from cpis.concerns.tests.factories import submit
from cpis.forums import selectors as forums
from cpis.forums.tests.factories import ForumFactory, MemberFactory


def read(user, subject_id, purpose=Purpose.ROUTINE, subject_type="forums.forummember"):
    return audit.log_personal_data_access(
        user_id=user.pk,
        subject_type=subject_type,
        subject_id=subject_id,
        request=None,
        why=audit.Why(purpose),
    )


def test_entries_are_numbered_and_each_seals_the_one_before(persona):
    user = persona("commander_n1")
    first, second, third = (read(user, n) for n in (1, 2, 3))
    assert [first.seq, second.seq, third.seq] == [1, 2, 3]
    assert first.prev_hash == audit.GENESIS
    assert second.prev_hash == first.hash and third.prev_hash == second.hash
    stored = AccessLogEntry.objects.get(seq=2)
    assert audit.seal(stored) == stored.hash  # what was sealed is what the database gives back
    check = audit.verify_chain()
    assert check.intact and (check.entries, check.head_seq, check.head_hash) == (3, 3, third.hash)


def test_a_batch_of_reads_is_chained_in_one_go(persona, rf):
    user = persona("commander_n1")
    read(user, 1)
    shown = audit.log_personal_data_reads(
        user_id=user.pk, subject_type="forums.forummember", subject_ids=[7, 8, 9], request=rf.get("/x")
    )
    assert shown == {"7", "8", "9"}
    assert list(AccessLogEntry.objects.order_by("seq").values_list("seq", "subject_id")) == [
        (1, "1"),
        (2, "7"),
        (3, "8"),
        (4, "9"),
    ]
    assert audit.verify_chain().intact


@pytest.mark.skipif("connection.vendor == 'postgresql'", reason="PostgreSQL refuses the tampering itself")
@pytest.mark.parametrize(
    ("tamper", "problem"),
    [
        (lambda: AccessLogEntry.objects.filter(seq=2).update(purpose=Purpose.LEGAL), "changed"),
        (lambda: AccessLogEntry.objects.filter(seq=2).delete(), "missing"),
        (lambda: AccessLogEntry.objects.filter(seq=3).update(seq=2, prev_hash="f" * 64), "link"),
    ],
)
def test_the_check_finds_a_changed_removed_or_forged_entry(persona, tamper, problem):
    user = persona("commander_n1")
    for n in range(1, 5):
        read(user, n)
    if problem == "link":
        AccessLogEntry.objects.filter(seq=2).delete()
    tamper()
    check = audit.verify_chain()
    assert not check.intact and check.broken_at == 2
    assert problem in check.problem


@pytest.mark.skipif("connection.vendor == 'postgresql'", reason="PostgreSQL refuses the removal itself")
def test_an_anchor_noted_earlier_catches_the_removal_of_the_newest_entries(persona):
    user = persona("commander_n1")
    for n in range(1, 4):
        read(user, n)
    head = audit.verify_chain()
    read(user, 4)
    assert audit.verify_chain(anchor=(head.head_seq, head.head_hash)).intact
    AccessLogEntry.objects.filter(seq__gte=3).delete()  # the tail: the chain alone still holds
    assert audit.verify_chain().intact
    check = audit.verify_chain(anchor=(head.head_seq, head.head_hash))
    assert not check.intact and "no longer" in check.problem


def test_the_command_prints_the_head_and_fails_on_a_wrong_anchor(persona):
    user = persona("commander_n1")
    entries = [read(user, n) for n in (1, 2)]
    out = StringIO()
    call_command("verify_access_log", stdout=out)
    assert f"Head: 2:{entries[1].hash}" in out.getvalue()
    call_command("verify_access_log", anchor=f"1:{entries[0].hash}", stdout=StringIO())
    with pytest.raises(CommandError, match="broken at entry 1"):
        call_command("verify_access_log", anchor=f"1:{'0' * 64}", stdout=StringIO())
    with pytest.raises(CommandError, match="SEQ:HASH"):
        call_command("verify_access_log", anchor="yesterday", stdout=StringIO())


@pytest.mark.parametrize(
    ("sent", "expected"),
    [
        ({}, None),
        ({"purpose": "investigation"}, audit.Why("investigation")),
        ({"purpose": "investigation", "purpose_note": "ignored"}, audit.Why("investigation")),
        ({"purpose": "other", "purpose_note": "  court\n case  "}, audit.Why("other", "court case")),
    ],
)
def test_a_purpose_comes_from_the_list_or_is_typed(sent, expected):
    assert audit.purpose_from(sent) == expected


@pytest.mark.parametrize(
    ("sent", "error"),
    [({"purpose": "curiosity"}, audit.PurposeRequired), ({"purpose": "other"}, audit.ReasonRequired)],
)
def test_a_purpose_not_on_the_list_or_another_without_a_reason_is_refused(sent, error):
    with pytest.raises(error):
        audit.purpose_from(sent)


def test_a_sensitive_record_is_not_read_without_a_purpose_and_others_default_to_routine(
    tree, actor_for, rf, categories
):
    concern = submit(reporter_email="a@example.org").concern
    coordinator = actor_for("coordinator_n1")
    with pytest.raises(audit.PurposeRequired):
        concerns.get_reporter_contact(coordinator, concern, request=rf.post("/x"))
    assert not AccessLogEntry.objects.exists()
    member = MemberFactory(forum=ForumFactory(unit=tree.n1))
    forums.get_member_contact(coordinator, member, request=rf.post("/x"))
    assert AccessLogEntry.objects.get().purpose == Purpose.ROUTINE


def test_refused_attempts_outside_ones_places_and_inside_them_are_logged(
    tree, client_for, persona, categories
):
    concern = submit(reporter_email="a@example.org").concern  # at sector n1a
    outsider = client_for("commander_s1")
    assert outsider.get(reverse("concerns:detail", args=[concern.pk])).status_code == 404
    [outside] = AccessLogEntry.objects.refusals()
    assert (outside.outcome, outside.subject_type, outside.subject_id) == (
        Outcome.OUTSIDE,
        "concerns.concern",
        str(concern.pk),
    )
    assert outside.user == persona("commander_s1") and outside.purpose == ""
    # A concern that does not exist is a plain 404: nothing to log.
    assert outsider.get(reverse("concerns:detail", args=[concern.pk + 1000])).status_code == 404
    officer = client_for("officer_n1a")
    assert (
        officer.post(reverse("concerns:contact", args=[concern.pk]), {"purpose": "contact"}).status_code
        == 403
    )
    refused = AccessLogEntry.objects.refusals().get(outcome=Outcome.REFUSED)
    assert refused.user == persona("officer_n1a")
    assert not AccessLogEntry.objects.reads().exists()
    # The JSON API logs them too.
    assert outsider.get(f"/api/v1/concerns/{concern.pk}").status_code == 404
    assert AccessLogEntry.objects.refusals().filter(outcome=Outcome.OUTSIDE).count() == 2
    assert audit.verify_chain().intact


def test_a_restricted_record_is_kept_but_not_shown_until_lifted(
    tree, actor_for, persona, rf, client_for, categories
):
    concern = submit(reporter_email="a@example.org").concern
    dpo = persona("admin")
    audit.restrict(
        subject_type="concerns.concern", subject_id=concern.pk, legal_reason="Art. 16", by_user_id=dpo.pk
    )
    with pytest.raises(audit.AlreadyRestricted):
        audit.restrict(
            subject_type="concerns.concern", subject_id=concern.pk, legal_reason="again", by_user_id=dpo.pk
        )
    coordinator = client_for("coordinator_n1")
    url = reverse("concerns:contact", args=[concern.pk])
    refused = coordinator.post(url, {"purpose": "contact"})
    assert refused.status_code == 403 and "a@example.org" not in refused.content.decode()
    assert "është kufizuar nga zyrtari për mbrojtjen e të dhënave" in refused.content.decode()  # why
    assert not AccessLogEntry.objects.exists()  # neither a read nor a refusal of the place
    forum = ForumFactory(unit=tree.n1)
    kept, restricted = MemberFactory(forum=forum), MemberFactory(forum=forum)
    audit.restrict(
        subject_type="forums.forummember", subject_id=restricted.pk, legal_reason="x", by_user_id=dpo.pk
    )
    contacts = forums.get_member_contacts(actor_for("coordinator_n1"), forum, request=rf.post("/x"))
    assert set(contacts) == {kept.pk}
    assert list(AccessLogEntry.objects.values_list("subject_id", flat=True)) == [str(kept.pk)]
    with pytest.raises(audit.LegalReasonRequired):
        audit.lift_restriction(
            subject_type="concerns.concern", subject_id=concern.pk, reason=" ", by_user_id=dpo.pk
        )
    audit.lift_restriction(
        subject_type="concerns.concern", subject_id=concern.pk, reason="done", by_user_id=dpo.pk
    )
    assert "a@example.org" in coordinator.post(url, {"purpose": "contact"}).content.decode()
    with pytest.raises(audit.NotRestricted):
        audit.lift_restriction(
            subject_type="concerns.concern", subject_id=concern.pk, reason="x", by_user_id=dpo.pk
        )


def test_the_restricted_refusal_is_a_permission_denied():
    assert isinstance(audit.Restricted(), PermissionDenied)


@pytest.mark.postgres
def test_postgres_refuses_to_change_or_remove_an_entry_even_for_the_tables_owner(persona):
    entry = read(persona("commander_n1"), 1)
    for statement in (
        "UPDATE accounts_accesslogentry SET purpose = 'legal' WHERE id = %s",
        "DELETE FROM accounts_accesslogentry WHERE id = %s",
    ):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as c,
        ):
            c.execute(statement, [entry.pk])
    assert AccessLogEntry.objects.get().purpose == Purpose.ROUTINE


@pytest.mark.postgres
def test_postgres_the_application_role_may_read_and_add_to_the_log_but_not_change_it(persona):
    user = persona("commander_n1")
    read(user, 1)
    with connection.cursor() as cursor:
        cursor.execute("CREATE ROLE cpis_app_test NOLOGIN")
        for statement in grant_statements("cpis_app_test"):
            cursor.execute(statement)
        cursor.execute("SET ROLE cpis_app_test")
    try:
        read(user, 2)  # adding, numbered and sealed, works
        assert audit.verify_chain().entries == 2
        for statement in (
            "UPDATE accounts_accesslogentry SET purpose = 'legal'",
            "DELETE FROM accounts_accesslogentry",
            "TRUNCATE accounts_accesslogentry",
        ):
            refused = pytest.raises(DatabaseError, match="permission denied")
            with refused, transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(statement)
        # Every other table is the application's to change.
        with connection.cursor() as cursor:
            cursor.execute("UPDATE accounts_user SET language = 'en' WHERE id = %s", [user.pk])
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET ROLE")


def test_a_list_of_contacts_is_logged_in_a_few_queries_whatever_its_length(
    tree, actor_for, rf, django_assert_max_num_queries
):
    forum = ForumFactory(unit=tree.n1)
    MemberFactory.create_batch(25, forum=forum)
    actor = actor_for("coordinator_n1")
    # The members, the restrictions among them, and one append (its transaction, the head, the insert).
    with django_assert_max_num_queries(8):
        contacts = forums.get_member_contacts(actor, forum, request=rf.get("/x"))
    assert len(contacts) == 25 and AccessLogEntry.objects.reads().count() == 25
