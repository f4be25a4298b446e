"""Counts per period for the action plan's indicators."""

from typing import Any

from django.db.models import QuerySet

from cpis.core.periods import Period, count_per_period

from ..models import (
    Forum,
    Meeting,
    MeetingKind,
    MeetingStatus,
    PressRelease,
    ProposedSite,
    TensionReport,
    TrainerEngagement,
)


def _within(queryset: QuerySet[Any], field_name: str, path: str) -> QuerySet[Any]:
    return queryset.filter(**{f"{field_name}__startswith": path}) if path else queryset


def count_meetings_held(periods: list[Period], *, path: str = "") -> list[int]:
    """Forum meetings held, every kind [2.4.5; 3.2.1]."""
    meetings = _within(Meeting.objects.filter(status=MeetingStatus.HELD), "forum__unit_path", path)
    return count_per_period(meetings, "starts_at", periods)


def count_executive_councils(periods: list[Period], *, path: str = "") -> list[int]:
    """LPSC executive council meetings held [2.4.8]."""
    meetings = Meeting.objects.filter(status=MeetingStatus.HELD, kind=MeetingKind.EXECUTIVE_COUNCIL)
    return count_per_period(_within(meetings, "forum__unit_path", path), "starts_at", periods)


def count_forums_established(periods: list[Period], *, path: str = "") -> list[int]:
    """Forums established in the period, by their date of establishment [2.1.4; 2.4.1]."""
    return count_per_period(_within(Forum.objects.all(), "unit_path", path), "established_on", periods)


def count_sites_identified(periods: list[Period], *, path: str = "") -> list[int]:
    """Locations identified as needing a new LPSC [2.4.1]."""
    return count_per_period(_within(ProposedSite.objects.all(), "unit_path", path), "identified_on", periods)


def count_trainers_involved(periods: list[Period], *, path: str = "") -> list[int]:
    """Distinct forum members engaged as community safety trainers [2.4.9]."""
    engagements = _within(TrainerEngagement.objects.all(), "member__forum__unit_path", path)
    return count_per_period(engagements, "on", periods, distinct="member_id")


def count_tension_reports(periods: list[Period], *, path: str = "") -> list[int]:
    """Forums' community tension reports [2.4.10]."""
    reports = _within(TensionReport.objects.all(), "forum__unit_path", path)
    return count_per_period(reports, "reported_on", periods)


def count_press_releases(periods: list[Period], *, path: str = "") -> list[int]:
    """Press releases on forum activity, by the day they were published [2.4.12]."""
    releases = _within(PressRelease.objects.filter(is_published=True), "forum__unit_path", path)
    return count_per_period(releases, "published_at", periods)
