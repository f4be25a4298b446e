"""The forums' demo data: consistent with the organisation demo, spread
over 2012–2016 and the last three years, deterministic."""

from datetime import date

from django.db.models import Count, F, Q

from cpis.core.periods import half_years
from cpis.forums import demo, selectors
from cpis.forums.models import ActionItem, Forum, ForumKind, Meeting, MeetingStatus, ProposedSite, SiteStatus
from cpis.organisation.demo import load_demo as load_organisation
from cpis.organisation.models import Unit, UnitKind

TODAY = date(2026, 11, 1)


def test_the_demo_is_consistent_spread_over_the_years_and_deterministic(db):
    """One test, as loading the demo takes seconds."""
    load_organisation(scale="small", seed=2012, today=TODAY)
    lines = demo.load_demo(scale="small", seed=2012, today=TODAY)

    # One council per municipality (at its station), LPSCs in many sectors, some CSATs.
    stations = Unit.objects.filter(kind=UnitKind.STATION).count()
    assert Forum.objects.filter(kind=ForumKind.MCSC).count() == stations
    assert not Forum.objects.filter(kind=ForumKind.MCSC).exclude(unit__kind=UnitKind.STATION).exists()
    assert Forum.objects.filter(kind=ForumKind.LPSC, unit__kind=UnitKind.SECTOR).count() > 10
    assert Forum.objects.filter(kind=ForumKind.CSAT).exists()
    assert Forum.objects.filter(language="sr").exists() and Forum.objects.filter(language="sq").exists()
    assert not Forum.objects.exclude(unit_path=F("unit__path")).exists()

    # Meetings across 2012–2016 and the last three years, planned ones ahead.
    held = Meeting.objects.filter(status=MeetingStatus.HELD)
    for year in (2012, 2014, 2016, TODAY.year - 2, TODAY.year - 1, TODAY.year):
        assert held.filter(starts_at__year=year).exists(), year
    assert Meeting.objects.filter(
        status=MeetingStatus.PLANNED, is_public=True, starts_at__date__gt=TODAY
    ).exists()
    assert held.filter(kind="executive_council").exists()
    assert held.annotate(n=Count("members_present")).filter(n__gt=0).count() > held.count() * 0.9
    overdue = ActionItem.objects.overdue(TODAY).count()
    assert 0 < overdue < ActionItem.objects.count() / 5
    assert ProposedSite.objects.filter(status=SiteStatus.ESTABLISHED, forum__isnull=False).exists()
    assert ProposedSite.objects.exclude(status=SiteStatus.ESTABLISHED).exists()

    # Members ticked present served in that forum on that day.
    through = Meeting.members_present.through.objects.annotate(day=F("meeting__starts_at__date"))
    assert not through.filter(
        Q(forummember__term_start__gt=F("day")) | Q(forummember__term_end__lt=F("day"))
    ).exists()
    assert not through.exclude(forummember__forum_id=F("meeting__forum_id")).exists()

    # Every count of the action plan has something to count in 2012–2016.
    periods = half_years(date(2012, 1, 1), date(2016, 12, 31))
    for name in (
        "count_meetings_held",
        "count_executive_councils",
        "count_forums_established",
        "count_sites_identified",
        "count_trainers_involved",
        "count_tension_reports",
        "count_press_releases",
    ):
        assert sum(getattr(selectors, name)(periods)) > 0, name

    demo.clear_demo()
    assert not Forum.objects.exists()
    assert demo.load_demo(scale="small", seed=2012, today=TODAY) == lines
