"""The problems demo over the small demo: every SARA stage present, and the
chronic problems the incidents demo planted assessed from the incidents by the
real assessment, which finds what was planted."""

from datetime import date

import pytest

from cpis.concerns.categories import seed as seed_concern_categories
from cpis.concerns.models import Category
from cpis.incidents import demo as incidents_demo
from cpis.incidents.models import IncidentCategory
from cpis.incidents.taxonomy import seed as seed_taxonomy
from cpis.organisation.demo import load_demo as load_organisation
from cpis.organisation.models import RoleGrant
from cpis.problems import demo
from cpis.problems.models import (
    Outcome,
    PriorityStatus,
    Problem,
    PublicSummary,
    Reading,
    SectorPriority,
    Stage,
    SummaryStatus,
    VulnerableEntry,
)

TODAY = date(2026, 11, 1)
SEED = 7


@pytest.fixture
def loaded(db):
    seed_taxonomy(IncidentCategory)
    seed_concern_categories(Category)
    load_organisation(scale="small", seed=SEED, today=TODAY)
    incidents_demo.load_demo(scale="small", seed=SEED, today=TODAY)
    return demo.load_demo(scale="small", seed=SEED, today=TODAY)


def test_the_planted_problems_are_assessed_and_found_as_planted(loaded):
    sites = incidents_demo.demo_planted_problems(scale="small", seed=SEED, today=TODAY)
    by_day = {site.response_day: site for site in sites}
    assessed = Problem.objects.filter(assessment__isnull=False).select_related("assessment")
    planted = [p for p in assessed if p.assessment.response_date.toordinal() in by_day]
    assert len(planted) == len(sites) == 6
    # The demo sector leader's own sector has a problem of each stage, one assessed as found.
    home = RoleGrant.objects.get(user__username="sector.leader").unit
    assert set(Problem.objects.filter(unit=home).values_list("stage", flat=True)) == set(Stage.values) - {
        "closed"
    }
    assert assessed.filter(unit=home).exists()
    for problem in planted:
        site = by_day[problem.assessment.response_date.toordinal()]
        assessment = problem.assessment
        if (TODAY - assessment.response_date).days <= demo.WINDOW_DAYS:
            # Provisional, its after-window still running: only the direction is asked.
            if site.effect != "none":
                assert assessment.relative_effect > 1, problem
            continue
        # Against the control area: the season and the station's trend are taken out.
        if site.effect == "none":
            assert assessment.relative_effect_low <= 1 <= assessment.relative_effect_high, problem
        else:
            assert assessment.rate_ratio_high < 1 or assessment.relative_effect_low > 1, problem
            assert (assessment.reading == Reading.DISPLACEMENT) == (site.effect == "displaced"), problem
        assert demo._matches(site.effect, problem)
    ended = [p for p in planted if (TODAY - p.assessment.response_date).days > demo.WINDOW_DAYS]
    assert len(ended) == 3
    assert loaded[0].endswith("3 of the 3 whose after-window has ended read as planted.")


def test_every_stage_and_outcome_is_there_and_solved_ones_are_published(loaded):
    stages = set(Problem.objects.values_list("stage", flat=True))
    assert stages == set(Stage.values)
    assert Problem.objects.count() == demo.PROBLEMS["small"]
    outcomes = set(Problem.objects.filter(stage=Stage.CLOSED).values_list("outcome", flat=True))
    assert {Outcome.SOLVED, Outcome.DISPLACED, Outcome.NOT_SOLVED} <= outcomes
    published = PublicSummary.objects.filter(status=SummaryStatus.PUBLISHED)
    assert published.exists()
    assert all(s.reviewed_by_id != s.written_by_id for s in published)
    assert set(published.values_list("problem__outcome", flat=True)) <= {Outcome.SOLVED, Outcome.REDUCED}
    assert SectorPriority.objects.filter(status=PriorityStatus.AGREED).exists()
    assert SectorPriority.objects.filter(status=PriorityStatus.PROPOSED).exists()
    assert VulnerableEntry.objects.exists()


def test_the_demo_clears(loaded):
    demo.clear_demo()
    assert not Problem.objects.exists()
    assert not VulnerableEntry.objects.exists()
    assert not SectorPriority.objects.exists()
