"""The demo concerns give the public reports map something to show: approved
summaries on a share of recent concerns in public categories, never in
sensitive ones, and supports counted as the service counts them."""

import pytest
from django.db.models import Count, F
from django.utils import timezone

from cpis.concerns import demo, selectors
from cpis.concerns.models import Concern
from cpis.organisation.demo import load_demo as load_organisation


@pytest.fixture
def loaded(db):
    today = timezone.localdate()
    load_organisation(scale="small", seed=7, today=today)
    return demo.load_demo(scale="small", seed=7, today=today)


def test_the_demo_publishes_summaries_on_a_realistic_share_and_the_map_shows_them(loaded, client):
    public = selectors.public_concerns()
    recent = Concern.objects.filter(
        created_at__gte=timezone.now() - timezone.timedelta(days=demo.PUBLIC_DAYS),
        category__is_sensitive=False,
    )
    assert 0.2 * recent.count() <= public.count() <= 0.5 * recent.count()
    assert (
        not Concern.objects.filter(category__is_sensitive=True)
        .exclude(public_summary_approved_at=None)
        .exists()
    )
    assert not public.filter(public_summary=F("description")).exists()
    assert public.filter(support_count__gt=0).exists()
    counted = Concern.objects.annotate(n=Count("supports")).exclude(n=F("support_count"))
    assert not counted.exists()
    assert any("public" in line for line in loaded)
    assert len(client.get("/reports/reports.geojson").json()["features"]) > 20


def test_the_demo_reporters_answer_after_a_closure_as_the_service_would_have_it(loaded):
    from datetime import timedelta

    from cpis.concerns.models import ClosureAnswer, ConcernEvent, EventKind, Status

    answers = ClosureAnswer.objects.select_related("concern")
    asked = Concern.objects.exclude(reporter_email="").filter(closure_answers__isnull=False).distinct()
    assert answers.count() > 50 and asked.count() == answers.count()  # one answer per closure
    share = answers.filter(resolved=True).count() / answers.count()
    assert 0.7 <= share <= 0.9  # RESOLVED_SHARE 0.8, a few hundred answers
    for answer in answers:
        assert not answer.concern.is_anonymous and answer.concern.reporter_email
        assert answer.closed_at < answer.answered_at <= answer.closed_at + timedelta(days=10)
    # "Not resolved" within four weeks reopened the concern, by a public move of the system.
    reopened = answers.filter(reopened=True)
    assert reopened.count() == answers.filter(resolved=False).count() > 0
    for answer in reopened:
        moves = ConcernEvent.objects.filter(
            concern=answer.concern,
            kind=EventKind.STATUS,
            from_status=Status.RESOLVED,
            to_status=Status.IN_PROGRESS,
        )
        assert moves.filter(at=answer.answered_at, actor=None, is_public=True).count() == 1
        concern = answer.concern
        assert (concern.status == Status.RESOLVED and concern.closed_at > answer.answered_at) or (
            concern.status == Status.IN_PROGRESS and concern.closed_at is None and concern.citizen_wrote_at
        )
    assert any("reopened by the answer" in line for line in loaded)
