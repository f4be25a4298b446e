from datetime import timedelta

import pytest
from django.utils import timezone, translation

from cpis.alerts import selectors, services
from cpis.alerts.models import Subscription
from cpis.core.models import OutboxMessage
from cpis.forums.models import Meeting
from cpis.forums.tests.factories import ForumFactory, MeetingFactory
from cpis.problems.models import PriorityStatus, Problem, PublicSummary, SectorPriority, Stage, SummaryStatus

ALL = ("meetings", "priorities", "solved")


@pytest.fixture(autouse=True)
def english():
    """Services' messages asserted in English (requests choose their own language)."""
    with translation.override("en"):
        yield


@pytest.fixture
def subscribe(tree):
    """subscribe(email, area=…, topics=…, confirmed=True) → the subscription,
    confirmed through its token as the link in the e-mail would; the
    confirmation it queued is dropped."""

    def make(
        email: str, *, area=None, topics=ALL, confirmed: bool = True, language: str = "en"
    ) -> Subscription:
        area = area or services.sector_area(tree.n1a.pk)
        subscription = services.subscribe(email=email, area=area, topics=topics, language=language)
        if confirmed:
            subscription = services.confirm(token=selectors.confirm_token(subscription.secret))
        OutboxMessage.objects.filter(record_id=str(subscription.pk)).delete()
        return subscription

    return make


@pytest.fixture
def meeting_at(tree):
    """meeting_at(unit, public=True) → a planned meeting of a forum at the unit, next week."""

    def make(unit, *, public: bool = True) -> Meeting:
        return MeetingFactory(
            forum=ForumFactory(unit=unit, name="Komiteti i lagjes"),
            is_public=public,
            place="Shkolla Naim Frashëri",
            agenda="Ndriçimi i rrugës",
        )

    return make


@pytest.fixture
def agree_priority(tree):
    def make(unit, issue: str = "Burglary at night") -> SectorPriority:
        return SectorPriority.objects.create(
            unit=unit,
            unit_path=unit.path,
            issue=issue,
            what_is_done="Foot patrols after dark",
            status=PriorityStatus.AGREED,
            agreed_by_kind="station",
            agreed_on=timezone.localdate(),
        )

    return make


@pytest.fixture
def publish_summary(tree, persona):
    def make(unit) -> PublicSummary:
        writer, reviewer = persona("officer_n1a"), persona("commander_n1")
        problem = Problem.objects.create(
            unit=unit,
            unit_path=unit.path,
            title="Break-ins at the market",
            description="Night break-ins.",
            stage=Stage.CLOSED,
            outcome="solved",
            closed_at=timezone.now() - timedelta(days=1),
        )
        return PublicSummary.objects.create(
            problem=problem,
            title_sq="Tregu më i sigurt",
            title_sr="Безбеднија пијаца",
            title_en="A safer market",
            body_sq="Vjedhjet u ulën.",
            body_sr="Крађе су опале.",
            body_en="Break-ins fell.",
            status=SummaryStatus.PUBLISHED,
            written_by=writer,
            reviewed_by=reviewer,
            published_at=timezone.now(),
        )

    return make
