"""A problem's public summary: written for a problem closed as solved or
reduced, with no contact details, submitted, and approved or returned by a
second person — never its writer — then withdrawn; what the public side reads."""

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import translation

from cpis.core.errors import InvalidInput
from cpis.problems.models import Change, Outcome, PublicSummary, SummaryStatus
from cpis.problems.selectors import summaries as selectors
from cpis.problems.services import problems as problem_services
from cpis.problems.services import summaries as services

TEXTS = {
    "title_sq": "Vjedhjet në treg u ndalën",
    "title_sr": "Крађе на пијаци су заустављене",
    "body_sq": "Banorët, komuna dhe policia ndriçuan tregun; vjedhjet ranë nga 24 në 3.",
    "body_sr": "Становници, општина и полиција осветлили су пијацу; крађе су пале са 24 на 3.",
}


@pytest.fixture
def solved(problem, actor_for):
    """The n1a problem, closed as solved by its sector leader."""
    return problem_services.close_problem(
        actor_for("leader_n1a"), problem=problem, outcome=Outcome.SOLVED, reason="Lights put up."
    )


def _history(problem):
    return list(
        Change.objects.filter(problem=problem, what__startswith="summary_").values_list("what", flat=True)
    )


def _submitted(solved, actor_for, writer="officer_n1a"):
    services.save_summary(actor_for(writer), problem=solved, **TEXTS)
    return services.submit_summary(actor_for(writer), problem=solved)


def test_a_summary_is_written_only_for_a_problem_closed_as_solved_or_reduced(problem, actor_for):
    with pytest.raises(services.NotSolved):
        services.save_summary(actor_for("officer_n1a"), problem=problem, **TEXTS)
    closed = problem_services.close_problem(
        actor_for("leader_n1a"), problem=problem, outcome=Outcome.DISPLACED
    )
    with pytest.raises(services.NotSolved):
        services.save_summary(actor_for("officer_n1a"), problem=closed, **TEXTS)
    assert not PublicSummary.objects.exists()


def test_only_those_who_work_the_problem_write_it(solved, actor_for):
    with pytest.raises(problem_services.NotOnTheTeam):
        services.save_summary(actor_for("strategy_coordinator"), problem=solved, **TEXTS)
    summary = services.save_summary(actor_for("officer_n1a"), problem=solved, **TEXTS)
    assert (summary.status, summary.written_by.username) == (SummaryStatus.DRAFT, "officer_n1a")
    assert _history(solved) == ["summary_saved"]


@pytest.mark.parametrize(
    ("field", "text"),
    [
        ("body_sq", "Për më shumë shkruani te arben.krasniqi@kosovopolice.net."),
        ("body_sq", "Thirrni zyrtarin në +383 44 123 456 kur të doni."),
        ("body_sr", "Позовите 044 123 456 за више."),
        ("title_sq", "Numri 044/123-456"),
        ("body_en", "Call (+383) 49 555 666 any time."),
    ],
)
def test_contact_details_in_the_public_text_are_refused_with_the_reason(solved, actor_for, field, text):
    texts = {**TEXTS, "title_en": "Market thefts stopped", "body_en": "Lights went up.", field: text}
    with pytest.raises(InvalidInput) as refused:
        services.save_summary(actor_for("officer_n1a"), problem=solved, **texts)
    assert "personal data" in str(refused.value)
    assert not PublicSummary.objects.exists()


def test_years_dates_and_counts_are_not_taken_for_phone_numbers(solved, actor_for):
    body = "Nga 12.03.2025 deri 2025-2026: 1200 banorë, 45 vjedhje më pak, 10 000 euro."
    summary = services.save_summary(actor_for("officer_n1a"), problem=solved, **{**TEXTS, "body_sq": body})
    assert summary.body_sq == body


def test_the_serbian_is_written_in_cyrillic_and_english_both_or_neither(solved, actor_for):
    with pytest.raises(InvalidInput):
        services.save_summary(
            actor_for("officer_n1a"), problem=solved, **{**TEXTS, "body_sr": "Krađe su pale."}
        )
    with pytest.raises(InvalidInput):
        services.save_summary(actor_for("officer_n1a"), problem=solved, **TEXTS, title_en="Only a title")
    with pytest.raises(InvalidInput):
        services.save_summary(actor_for("officer_n1a"), problem=solved, **{**TEXTS, "title_sq": ""})


def test_the_writer_cannot_approve_their_own_summary(solved, actor_for, persona):
    from cpis.organisation.models import Role
    from cpis.organisation.tests.factories import RoleGrantFactory

    # The station commander writes it (a lead works any problem of the station) and submits it.
    _submitted(solved, actor_for, writer="commander_n1")
    with pytest.raises(services.OwnSummary):
        services.review_summary(actor_for("commander_n1"), problem=solved, approve=True)
    # Nor may someone who changed it, though someone else wrote it last.
    services.withdraw_summary(actor_for("commander_n1"), problem=solved)
    services.save_summary(actor_for("coordinator_n1"), problem=solved, **TEXTS)
    services.save_summary(actor_for("officer_n1a"), problem=solved, **TEXTS)
    services.submit_summary(actor_for("officer_n1a"), problem=solved)
    for name in ("commander_n1", "coordinator_n1"):
        with pytest.raises(services.OwnSummary):
            services.review_summary(actor_for(name), problem=solved, approve=True)
    assert PublicSummary.objects.get().status == SummaryStatus.SUBMITTED
    # A station lead who never touched it approves it.
    RoleGrantFactory(user=persona("no_role"), unit=solved.unit.parent, role=Role.STATION_COORDINATOR)
    reviewer = actor_for("no_role")
    published = services.review_summary(reviewer, problem=solved, approve=True, note="Good.")
    assert published.status == SummaryStatus.PUBLISHED and published.reviewed_by_id == reviewer.user_id


def test_the_database_refuses_a_summary_reviewed_by_its_writer(solved, actor_for, persona):
    summary = _submitted(solved, actor_for)
    summary.reviewed_by = summary.written_by
    with pytest.raises(IntegrityError), transaction.atomic():
        summary.save()
    summary.refresh_from_db()
    summary.status, summary.published_at, summary.reviewed_by = (
        SummaryStatus.PUBLISHED,
        solved.closed_at,
        None,
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        summary.save()  # published without a reviewer


def test_only_a_station_lead_reviews(solved, actor_for):
    _submitted(solved, actor_for)
    with pytest.raises(PermissionDenied):
        services.review_summary(actor_for("leader_n1a"), problem=solved, approve=True)


def test_a_returned_summary_goes_back_with_a_note_and_is_submitted_again(solved, actor_for):
    _submitted(solved, actor_for)
    with pytest.raises(InvalidInput):
        services.review_summary(actor_for("commander_n1"), problem=solved, approve=False, note="")
    returned = services.review_summary(
        actor_for("commander_n1"), problem=solved, approve=False, note="Say what changed."
    )
    assert (returned.status, returned.review_note) == (SummaryStatus.DRAFT, "Say what changed.")
    assert not selectors.list_published().exists()
    with pytest.raises(services.NotSubmitted):
        services.review_summary(actor_for("commander_n1"), problem=solved, approve=True)
    services.save_summary(actor_for("officer_n1a"), problem=solved, **{**TEXTS, "body_sq": "Më qartë."})
    services.submit_summary(actor_for("officer_n1a"), problem=solved)
    published = services.review_summary(actor_for("commander_n1"), problem=solved, approve=True)
    assert published.status == SummaryStatus.PUBLISHED and published.published_at is not None
    assert list(selectors.list_published()) == [published]
    assert _history(solved) == [
        "summary_saved",
        "summary_submitted",
        "summary_returned",
        "summary_saved",
        "summary_submitted",
        "summary_published",
    ]


def test_a_published_summary_is_changed_only_after_it_is_withdrawn(solved, actor_for):
    _submitted(solved, actor_for)
    with pytest.raises(services.SummaryLocked):
        services.save_summary(actor_for("officer_n1a"), problem=solved, **TEXTS)
    services.review_summary(actor_for("commander_n1"), problem=solved, approve=True)
    with pytest.raises(services.SummaryLocked):
        services.save_summary(actor_for("officer_n1a"), problem=solved, **TEXTS)
    with pytest.raises(PermissionDenied):
        services.withdraw_summary(actor_for("officer_n1a"), problem=solved)
    withdrawn = services.withdraw_summary(actor_for("coordinator_n1"), problem=solved, note="Outdated")
    assert withdrawn.status == SummaryStatus.WITHDRAWN
    assert not selectors.list_published().exists()
    again = services.save_summary(actor_for("officer_n1a"), problem=solved, **TEXTS)
    assert (again.status, again.reviewed_by) == (SummaryStatus.DRAFT, None)


def test_a_reopened_problem_leaves_the_public_pages(solved, actor_for):
    _submitted(solved, actor_for)
    summary = services.review_summary(actor_for("commander_n1"), problem=solved, approve=True)
    assert selectors.get_published(summary.pk) == summary
    problem_services.reopen_problem(actor_for("commander_n1"), problem=solved, note="It came back.")
    assert not selectors.list_published().exists()


def test_the_summary_reads_in_the_readers_language(solved, actor_for):
    summary = services.save_summary(actor_for("officer_n1a"), problem=solved, **TEXTS)
    assert selectors.in_language(summary, "sq").title == TEXTS["title_sq"]
    assert selectors.in_language(summary, "sr").body == TEXTS["body_sr"]
    latin = selectors.in_language(summary, "sr-latn")
    assert (latin.title, latin.language) == ("Krađe na pijaci su zaustavljene", "sr-latn")
    assert selectors.in_language(summary, "en").language == "sq"  # no English written
    with_english = services.save_summary(
        actor_for("officer_n1a"), problem=solved, **TEXTS, title_en="Thefts stopped", body_en="Lights."
    )
    with translation.override("en"):
        assert selectors.in_language(with_english).title == "Thefts stopped"
