"""Who reads an evaluation and who takes each step: the officer it is about, the
chain of command above their sector, the personnel department; everyone else
gets "not found", and every read is logged."""

from datetime import date

import pytest
from django.http import Http404

from cpis.accounts.models import AccessLogEntry
from cpis.appraisals import selectors
from cpis.appraisals.tests.factories import officer_at, signed_directly
from cpis.organisation.access import Actor

READERS = ["officer_n1a", "leader_n1a", "commander_n1", "director_north", "directorate", "personnel"]
OUTSIDE = [
    "coordinator_n1", "commander_s1", "strategy_coordinator", "standards", "admin", "safeguarding_n1",
    "no_role",
]  # fmt: skip
SCORES = dict.fromkeys(
    ["community_relationships", "problem_solving", "responsiveness", "sector_knowledge", "training",
     "job_knowledge", "professional_conduct", "teamwork"], 4,
)  # fmt: skip


@pytest.fixture
def evaluation(tree, persona):
    officer = officer_at(tree.n1a, persona("officer_n1a"))
    return signed_directly(
        {"officer": officer, "unit": tree.n1a, "supervisor": persona("commander_n1"),
         "supervisor_unit": tree.n1, "period_start": date(2025, 1, 1), "period_end": date(2025, 12, 31)},
        SCORES,
    )  # fmt: skip


@pytest.mark.parametrize("name", READERS)
def test_the_officer_the_chain_above_and_personnel_read_it_and_the_read_is_logged(
    name, evaluation, actor_for
):
    actor = actor_for(name)
    assert selectors.get_evaluation(actor, evaluation.pk, request=None) == evaluation
    entry = AccessLogEntry.objects.get(subject_type="appraisals.evaluation")
    assert (entry.user_id, entry.subject_id) == (actor.user_id, str(evaluation.pk))


@pytest.mark.parametrize("name", OUTSIDE)
def test_nobody_else_learns_it_exists(name, evaluation, actor_for):
    actor = actor_for(name)
    with pytest.raises(Http404):
        selectors.get_evaluation(actor, evaluation.pk, request=None)
    assert evaluation not in selectors.visible_evaluations(actor)
    assert not AccessLogEntry.objects.filter(subject_type="appraisals.evaluation").exists()


def test_another_officer_of_the_same_sector_does_not_read_it(tree, evaluation):
    colleague = officer_at(tree.n1a, last_name="Berisha")
    from cpis.accounts.tests.factories import UserFactory
    from cpis.organisation.models import Role
    from cpis.organisation.tests.factories import RoleGrantFactory

    user = UserFactory(username="colleague")
    RoleGrantFactory(user=user, unit=tree.n1a, role=Role.SECTOR_OFFICER)
    colleague.user = user
    colleague.save()
    with pytest.raises(Http404):
        selectors.get_evaluation(Actor.for_user(user), evaluation.pk, request=None)


def test_the_officer_does_not_read_their_evaluation_while_it_is_rated(evaluation, actor_for):
    evaluation.status = "draft"
    evaluation.save()
    with pytest.raises(Http404):
        selectors.get_evaluation(actor_for("officer_n1a"), evaluation.pk, request=None)
    assert selectors.get_evaluation(actor_for("commander_n1"), evaluation.pk, request=None) == evaluation


@pytest.mark.parametrize(
    ("name", "allowed"),
    [("director_north", True), ("directorate", True), ("personnel", True), ("commander_n1", False),
     ("leader_n1a", False), ("coordinator_n1", False), ("standards", False), ("officer_n1a", False)],
)  # fmt: skip
def test_the_regions_promotion_list_is_for_its_command_and_personnel(
    name, allowed, tree, evaluation, actor_for
):
    actor = actor_for(name)
    if allowed:
        [line] = selectors.promotion_list(actor, rank="officer", region=tree.north, request=None)
        assert line.evaluation == evaluation
    else:
        with pytest.raises(Http404):
            selectors.promotion_list(actor, rank="officer", region=tree.north, request=None)


def test_a_regional_director_sees_no_other_regions_list(tree, evaluation, actor_for):
    with pytest.raises(Http404):
        selectors.promotion_list(actor_for("director_north"), rank="officer", region=tree.south, request=None)
    assert list(selectors.list_regions(actor_for("director_north"))) == [tree.north]
