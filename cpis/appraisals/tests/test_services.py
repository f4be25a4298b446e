"""The evaluation's rules, through its services against the database: forms and
their versions, the weighted score, nobody evaluating themself, the appeal going
to the next level only, the evidence kept as it was, and a signed evaluation
that nothing changes."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import translation

from cpis.accounts.tests.factories import UserFactory
from cpis.appraisals import selectors, services, spec
from cpis.appraisals.models import Evaluation, FormVersion, Rating, Status, VersionStatus
from cpis.appraisals.tests.factories import PERIOD, expected_score, officer_at, rate_all, submitted
from cpis.notifications.models import Kind, Notification
from cpis.organisation.access import Actor
from cpis.organisation.models import Assignment, Role
from cpis.organisation.tests.factories import RoleGrantFactory


@pytest.fixture
def officer(tree, persona):
    return officer_at(tree.n1a, persona("officer_n1a"))


@pytest.fixture
def commander(actor_for):
    return actor_for("commander_n1")


def _start(actor, officer, period=PERIOD):
    services.ensure_default_form()
    return services.start_evaluation(actor, officer=officer, period_start=period[0], period_end=period[1])


# ---- forms ----


def test_the_default_form_carries_the_community_policing_criteria_and_weights_of_100(db):
    form = services.ensure_default_form()
    assert services.ensure_default_form() == form  # once
    version = form.versions.get()
    assert version.status == VersionStatus.PUBLISHED
    criteria = {c.code: c for c in version.criteria.all()}
    assert sum(c.weight for c in criteria.values()) == 100
    assert criteria["community_relationships"].is_community_policing
    assert criteria["community_relationships"].evidence_keys == [
        "meetings_attended", "outreach_delivered", "audience_reached", "partners_engaged",
    ]  # fmt: skip
    assert criteria["problem_solving"].evidence_keys == ["problems_owned", "problem_outcomes"]
    assert criteria["sector_knowledge"].evidence_keys == ["tenure"]
    assert not criteria["teamwork"].is_community_policing
    # "All scales in favour of building relationships and solving problems" [1.2.6].
    assert sum(c.weight for c in criteria.values() if c.is_community_policing) == 70


def test_the_evidence_labels_name_every_item_of_the_officers_record():
    from cpis.people.record import KEYS

    assert set(spec.EVIDENCE_LABELS) == set(KEYS)


def test_personnel_edit_a_draft_and_publishing_needs_weights_of_100(tree, actor_for):
    personnel = actor_for("personnel")
    form = services.ensure_default_form()
    draft = services.start_version(personnel, form=form, note="Fewer general criteria")
    assert draft.number == 2 and draft.criteria.count() == form.versions.get(number=1).criteria.count()
    teamwork = draft.criteria.get(code="teamwork")
    services.save_criterion(
        personnel, version=draft, criterion=teamwork, code="teamwork", label_sq="Puna në ekip", weight=15
    )
    with translation.override("en"), pytest.raises(services.WeightsDoNotAddUp) as refused:
        services.publish_version(personnel, version=draft)
    assert str(refused.value) == "The weights of the criteria add up to 105; they must add up to 100."
    assert FormVersion.objects.get(pk=draft.pk).status == VersionStatus.DRAFT
    services.save_criterion(
        personnel, version=draft, criterion=draft.criteria.get(code="job_knowledge"), code="job_knowledge",
        label_sq="Njohja e ligjit", weight=5,
    )  # fmt: skip
    services.publish_version(personnel, version=draft)
    with pytest.raises(services.VersionPublished):
        services.save_criterion(personnel, version=draft, code="new", label_sq="E re", weight=1)
    services.start_version(personnel, form=form)
    with pytest.raises(services.DraftExists):
        services.start_version(personnel, form=form)


def test_only_personnel_define_forms(tree, actor_for):
    form = services.ensure_default_form()
    with pytest.raises(PermissionDenied):
        services.start_version(actor_for("commander_n1"), form=form)
    with pytest.raises(Http404):
        services.start_version(actor_for("officer_n1a"), form=form)


def test_an_unknown_evidence_key_or_a_bad_weight_is_refused(tree, actor_for):
    personnel = actor_for("personnel")
    draft = services.start_version(personnel, form=services.ensure_default_form())
    with pytest.raises(services.InvalidInput):
        services.save_criterion(
            personnel, version=draft, code="x", label_sq="X", weight=5, evidence_keys=["salary"]
        )
    with pytest.raises(services.InvalidInput):
        services.save_criterion(personnel, version=draft, code="x", label_sq="X", weight=0)
    assert not draft.criteria.filter(code="x").exists()


def test_an_evaluation_keeps_the_version_it_started_on(tree, persona, officer, commander, actor_for):
    evaluation = _start(commander, officer)
    first = evaluation.version
    personnel = actor_for("personnel")
    draft = services.start_version(personnel, form=first.form)
    services.publish_version(personnel, version=draft)
    evaluation.refresh_from_db()
    assert evaluation.version == first
    other = officer_at(tree.n1a, last_name="Berisha")
    assert _start(commander, other).version == draft


# ---- evaluating ----


def test_the_weighted_score_equals_the_weights_times_the_ratings(tree, officer, commander):
    scores = {c["code"]: rating for c, rating in zip(spec.AMENDED, [5, 4, 3, 2, 5, 1, 4, 3], strict=True)}
    weights = {c["code"]: c["weight"] for c in spec.AMENDED}
    evaluation = submitted(commander, officer, scores)
    # 20·5 + 20·4 + 15·3 + 10·2 + 5·5 + 10·1 + 10·4 + 10·3 = 350 → 3.5
    assert evaluation.score == expected_score(weights, scores) == Decimal("3.5")
    parts = selectors.score_parts(evaluation)
    assert sum(p["part"] for p in parts) == evaluation.score


def test_nobody_evaluates_themself(tree, persona, actor_for):
    leader = persona("leader_n1a")
    own = officer_at(tree.n1a, leader, rank="sergeant")
    with pytest.raises(services.SelfEvaluation):
        _start(actor_for("leader_n1a"), own)
    assert not Evaluation.objects.exists()
    assert own not in selectors.list_rateable_officers(actor_for("leader_n1a"))


def test_only_the_chain_of_command_over_the_officer_evaluates(tree, officer, actor_for):
    for outside in (
        "commander_s1",
        "coordinator_n1",
        "strategy_coordinator",
        "standards",
        "admin",
        "officer_n1a",
    ):
        with pytest.raises(Http404):
            _start(actor_for(outside), officer)
    with pytest.raises(PermissionDenied):
        _start(actor_for("personnel"), officer)  # personnel read and define forms; supervisors rate
    assert not Evaluation.objects.exists()
    evaluation = _start(actor_for("leader_n1a"), officer)
    assert evaluation.supervisor_path == tree.n1a.path
    assert _start(
        actor_for("director_north"), officer, (date(2024, 1, 1), date(2024, 12, 31))
    ).supervisor_path == (tree.north.path)


def test_only_the_supervisor_rates_and_every_criterion_needs_a_rating(tree, officer, commander, actor_for):
    evaluation = _start(commander, officer)
    with pytest.raises(services.NotYours):
        services.rate_evaluation(actor_for("director_north"), evaluation=evaluation, ratings={})
    with pytest.raises(services.InvalidInput):
        services.rate_evaluation(commander, evaluation=evaluation, ratings={"teamwork": (6, "")})
    services.rate_evaluation(commander, evaluation=evaluation, ratings={"teamwork": (4, "Good")})
    with pytest.raises(services.Unrated):
        services.submit_evaluation(commander, evaluation=evaluation)
    assert Evaluation.objects.get(pk=evaluation.pk).status == Status.DRAFT


def test_submitting_keeps_the_evidence_and_tells_the_officer(tree, persona, officer, commander):
    evaluation = submitted(commander, officer)
    items = evaluation.evidence["items"]
    assert set(items) == set(spec.EVIDENCE_LABELS)
    tenure = items["tenure"]
    [notice] = Notification.objects.filter(recipient=persona("officer_n1a"), kind=Kind.APPRAISAL_SUBMITTED)
    assert notice.link.endswith(f"/{evaluation.pk}/")
    # The assignments are corrected afterwards (the officer had moved in July): the
    # record for the period changes, the evaluation's evidence does not.
    Assignment.objects.filter(officer=officer).update(end_date=date(2025, 6, 30))
    Assignment.objects.create(officer=officer, sector=tree.n1b, start_date=date(2025, 7, 1))
    live = selectors.read_evidence(Actor.system(), evaluation)["items"]["tenure"]
    assert Evaluation.objects.get(pk=evaluation.pk).evidence["items"]["tenure"] == tenure
    assert live != tenure


def test_the_kept_evidence_is_read_in_the_readers_language(tree, officer, commander, actor_for):
    """The commander submits in Albanian; the officer reads the kept evidence in
    English or Serbian, with the same counts."""
    with translation.override("sq"):
        evaluation = submitted(commander, officer)
    assert evaluation.evidence["language"] == "sq"
    assert set(evaluation.evidence["languages"]) == {"sq", "sr", "sr-latn", "en"}
    read = {}
    for code in ("sq", "en", "sr"):
        with translation.override(code):
            read[code] = selectors.evidence_of(actor_for("officer_n1a"), evaluation, request=None)["items"]
    assert read["sq"]["tenure"] == evaluation.evidence["items"]["tenure"]
    assert read["en"]["concerns_handled"]["label"] == "Concerns handled"
    assert read["sq"]["concerns_handled"]["label"] != read["en"]["concerns_handled"]["label"]
    assert read["sr"]["concerns_handled"]["label"] not in {
        read["sq"]["concerns_handled"]["label"],
        read["en"]["concerns_handled"]["label"],
    }
    for key in spec.EVIDENCE_LABELS:
        assert read["en"][key]["value"] == read["sq"][key]["value"] == read["sr"][key]["value"]


def test_the_officer_acknowledges_with_a_comment(tree, officer, commander, actor_for):
    evaluation = submitted(commander, officer)
    with pytest.raises(services.NotYours):
        services.acknowledge_evaluation(actor_for("director_north"), evaluation=evaluation)
    services.acknowledge_evaluation(actor_for("officer_n1a"), evaluation=evaluation, comment="Faleminderit.")
    evaluation.refresh_from_db()
    assert evaluation.status == Status.ACKNOWLEDGED and evaluation.officer_comment == "Faleminderit."


def test_an_appeal_goes_to_the_level_above_the_supervisor_only(tree, persona, officer, commander, actor_for):
    evaluation = submitted(commander, officer)
    persona("director_north")
    persona("directorate")
    with pytest.raises(services.ReasonRequired):
        services.appeal_evaluation(actor_for("officer_n1a"), evaluation=evaluation, reasons=" ")
    services.appeal_evaluation(actor_for("officer_n1a"), evaluation=evaluation, reasons="Forums not counted.")
    evaluation.refresh_from_db()
    assert evaluation.status == Status.APPEALED
    assert evaluation.appeal.reviewer_unit == tree.north
    told = Notification.objects.filter(kind=Kind.APPRAISAL_APPEALED).values_list(
        "recipient__username", flat=True
    )
    assert list(told) == ["director_north"]
    # Neither the supervisor, nor another commander of the station, nor the level above the next.
    second = UserFactory(username="second_commander")
    RoleGrantFactory(user=second, unit=tree.n1, role=Role.STATION_COMMANDER)
    for name in ("commander_n1", "directorate", "leader_n1a"):
        with pytest.raises((services.NotYours, Http404)):
            services.decide_appeal(actor_for(name), evaluation=evaluation, ratings={}, reason="No.")
    with pytest.raises(services.NotYours):
        services.decide_appeal(Actor.for_user(second), evaluation=evaluation, ratings={}, reason="No.")
    assert selectors.list_waiting(actor_for("director_north"))["decide"] == [evaluation]
    assert selectors.list_waiting(actor_for("directorate"))["decide"] == []
    before = evaluation.score
    services.decide_appeal(
        actor_for("director_north"), evaluation=evaluation, ratings={"community_relationships": 5},
        reason="The forum minutes show the meetings.",
    )  # fmt: skip
    evaluation.refresh_from_db()
    assert evaluation.status == Status.DECIDED
    assert evaluation.appeal.changes == {"community_relationships": [4, 5]}
    assert evaluation.appeal.score_before == before
    assert evaluation.score == before + Decimal("0.2")  # weight 20 × 1 point / 100


def test_a_sector_leaders_evaluation_is_appealed_to_the_station(tree, persona, officer, actor_for):
    persona("commander_n1")
    evaluation = submitted(actor_for("leader_n1a"), officer)
    services.appeal_evaluation(actor_for("officer_n1a"), evaluation=evaluation, reasons="Unfair.")
    assert Evaluation.objects.get(pk=evaluation.pk).appeal.reviewer_unit == tree.n1


def test_a_signed_evaluation_cannot_be_changed(tree, officer, commander, actor_for):
    evaluation = submitted(commander, officer, 3)
    services.acknowledge_evaluation(actor_for("officer_n1a"), evaluation=evaluation)
    with pytest.raises(services.NotYours):
        services.sign_evaluation(actor_for("officer_n1a"), evaluation=evaluation)
    services.sign_evaluation(commander, evaluation=evaluation)
    frozen = Evaluation.objects.get(pk=evaluation.pk)
    assert frozen.status == Status.SIGNED and frozen.is_frozen
    attempts = [
        lambda: services.rate_evaluation(commander, evaluation=frozen, ratings=rate_all(frozen, 5)),
        lambda: services.submit_evaluation(commander, evaluation=frozen),
        lambda: services.acknowledge_evaluation(actor_for("officer_n1a"), evaluation=frozen, comment="x"),
        lambda: services.appeal_evaluation(actor_for("officer_n1a"), evaluation=frozen, reasons="x"),
        lambda: services.decide_appeal(
            actor_for("director_north"), evaluation=frozen, ratings={}, reason="x"
        ),
        lambda: services.sign_evaluation(actor_for("personnel"), evaluation=frozen),
    ]
    for attempt in attempts:
        with pytest.raises(services.Frozen):
            attempt()
    assert set(Rating.objects.filter(evaluation=frozen).values_list("score", flat=True)) == {3}
    after = Evaluation.objects.get(pk=evaluation.pk)
    assert (after.status, after.score, after.officer_comment, after.evidence) == (
        Status.SIGNED, frozen.score, "", frozen.evidence,
    )  # fmt: skip


def test_a_period_must_have_ended_and_is_evaluated_once(tree, officer, commander):
    with pytest.raises(services.BadPeriod):
        _start(commander, officer, (date(2025, 12, 31), date(2025, 1, 1)))
    with pytest.raises(services.BadPeriod):
        _start(commander, officer, (date(2026, 1, 1), date(2099, 12, 31)))
    _start(commander, officer)
    with pytest.raises(services.AlreadyEvaluated):
        _start(commander, officer)
