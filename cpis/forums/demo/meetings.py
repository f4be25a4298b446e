"""Meetings with attendance, minutes, decisions and action items."""

from datetime import date, timedelta

from django.utils import timezone

from cpis.organisation.demo import demo_time

from ..models import (
    ActionItem,
    ActionStatus,
    Decision,
    Forum,
    ForumKind,
    ForumMember,
    ForumStatus,
    Meeting,
    MeetingKind,
    MeetingStatus,
)
from .base import Base
from .words import OWNERS_SQ, OWNERS_SR, TOPICS_SQ, TOPICS_SR, VENUES_SQ, VENUES_SR


class Meetings(Base):
    # --- meetings ----------------------------------------------------------------

    def meetings(self, forums: list[Forum], members: dict[int, list[ForumMember]]) -> dict[str, int]:
        meetings: list[Meeting] = []
        for forum in forums:
            meetings += self._forum_meetings(forum)
        Meeting.objects.bulk_create(meetings, batch_size=1000)
        Through = Meeting.members_present.through
        attendance = []
        decisions: list[Decision] = []
        actions: list[ActionItem] = []
        by_forum = {f.pk: f for f in forums}
        for meeting in meetings:
            if meeting.status != MeetingStatus.HELD:
                continue
            forum = by_forum[meeting.forum_id]
            day = timezone.localdate(meeting.starts_at)
            current = [
                m
                for m in members.get(forum.pk, [])
                if m.term_start <= day and (m.term_end is None or m.term_end >= day)
            ]
            share = (
                self.rng.uniform(0.45, 0.95)
                if forum.status == ForumStatus.ACTIVE
                else self.rng.uniform(0.3, 0.6)
            )
            for member in self.rng.sample(current, k=round(len(current) * share)):
                attendance.append(Through(meeting_id=meeting.pk, forummember_id=member.pk))
            serbian = forum.language == "sr"
            for position in range(self.rng.choice([0, 1, 1, 2, 3])):
                decisions.append(Decision(meeting=meeting, text=self._decision(serbian), position=position))
            for _ in range(self.rng.choice([0, 0, 1, 1, 2])):
                actions.append(self._action(meeting, day, serbian))
        Through.objects.bulk_create(attendance, batch_size=5000)
        Decision.objects.bulk_create(decisions, batch_size=2000)
        ActionItem.objects.bulk_create(actions, batch_size=2000)
        return {
            "meetings": len(meetings),
            "attendance": len(attendance),
            "decisions": len(decisions),
            "actions": len(actions),
            "overdue": sum(1 for a in actions if a.status == ActionStatus.OPEN and a.due_on < self.today),
        }

    def _forum_meetings(self, forum: Forum) -> list[Meeting]:
        rows = []
        last = min(forum.dissolved_on or self.today, self.today)
        for year in self.years + self.gap_years:
            if year < forum.established_on.year or year > last.year:
                continue
            rate = (
                self.rng.uniform(0.6, 1.1)
                if forum.status == ForumStatus.ACTIVE
                else self.rng.uniform(0.15, 0.5)
            )
            if year in self.gap_years:
                rate *= 0.4  # fewer meetings in the years between the plan and today
            count = max(0, round(forum.meetings_per_year * rate))
            for i in range(count):
                day = date(year, 1, 1) + timedelta(
                    days=int((i + self.rng.uniform(0.1, 0.9)) * 365 / max(count, 1))
                )
                if day < forum.established_on or day > last:
                    continue
                rows.append(self._meeting(forum, day))
        if forum.status == ForumStatus.ACTIVE:
            # The next meetings, and one that was held last week but not written up yet.
            for days in (self.rng.randint(5, 25), self.rng.randint(30, 70)):
                rows.append(self._meeting(forum, self.today + timedelta(days=days)))
            if self.rng.random() < 0.15:
                rows.append(
                    self._meeting(forum, self.today - timedelta(days=self.rng.randint(2, 9)), unrecorded=True)
                )
        return rows

    def _meeting(self, forum: Forum, day: date, *, unrecorded: bool = False) -> Meeting:
        serbian = forum.language == "sr"
        starts_at = demo_time(day, self.rng.choice([16, 17, 18]), self.rng.choice([0, 30]))
        kind = MeetingKind.REGULAR
        if forum.kind == ForumKind.LPSC and self.rng.random() < 0.1:
            kind = MeetingKind.EXECUTIVE_COUNCIL
        is_public = self.rng.random() < (0.25 if forum.kind == ForumKind.CSAT else 0.65)
        topics = self.rng.sample(TOPICS_SR if serbian else TOPICS_SQ, k=2)
        agenda = (
            f"1. Безбедносна ситуација у сектору\n2. {topics[0].capitalize()}\n"
            f"3. {topics[1].capitalize()}; разно"
            if serbian
            else f"1. Gjendja e sigurisë në sektor\n2. {topics[0].capitalize()}\n"
            f"3. {topics[1].capitalize()}, të ndryshme"
        )
        status = MeetingStatus.PLANNED
        minutes = ""
        published = False
        cancel_reason = ""
        if starts_at < self.now and not unrecorded:
            if self.rng.random() < 0.08:
                status = MeetingStatus.CANCELLED
                cancel_reason = "Није било кворума." if serbian else "Mungesë kuorumi."
            else:
                status = MeetingStatus.HELD
                minutes = self._minutes(serbian, topics)
                published = is_public and self.rng.random() < 0.5
        return Meeting(
            forum=forum,
            kind=kind,
            starts_at=starts_at,
            duration_minutes=self.rng.choice([90, 120, 120, 150]),
            place=self.rng.choice(VENUES_SR if serbian else VENUES_SQ),
            agenda=agenda,
            is_public=is_public,
            status=status,
            other_attendees=self.rng.randint(0, 25) if status == MeetingStatus.HELD else 0,
            minutes=minutes,
            minutes_published=published,
            cancel_reason=cancel_reason,
            created_at=starts_at - timedelta(days=self.rng.randint(7, 30)),
        )

    def _minutes(self, serbian: bool, topics: list[str]) -> str:
        if serbian:
            return (
                "Вођа сектора је представио безбедносну ситуацију у протеклом периоду. "
                f"Грађани су изнели забринутост у вези са темом: {topics[0]}. "
                f"Договорено је да се питање „{topics[1]}” размотри са општином."
            )
        return (
            "Udhëheqësi i sektorit paraqiti gjendjen e sigurisë në periudhën e kaluar. "
            f"Banorët ngritën shqetësime për {topics[0]}. "
            f"U ra dakord që çështja e {topics[1]} të diskutohet me komunën."
        )

    def _decision(self, serbian: bool) -> str:
        topic = self.rng.choice(TOPICS_SR if serbian else TOPICS_SQ)
        if serbian:
            return f"Савет ће упутити допис општини у вези са темом: {topic}."
        return f"Komiteti do t'i dërgojë komunës një shkresë për {topic}."

    def _action(self, meeting: Meeting, day: date, serbian: bool) -> ActionItem:
        due = day + timedelta(days=self.rng.randint(14, 60))
        # Old items were nearly all followed up; some recent ones are late.
        done_share = 0.98 if due < self.today - timedelta(days=365) else 0.8
        done = due < self.today and self.rng.random() < done_share
        topic = self.rng.choice(TOPICS_SR if serbian else TOPICS_SQ)
        text = f"Припремити предлог решења: {topic}" if serbian else f"Të përgatitet propozim për {topic}"
        done_day = min(due + timedelta(days=self.rng.randint(-10, 20)), self.today)
        return ActionItem(
            meeting=meeting,
            text=text,
            owner_name=self.rng.choice(OWNERS_SR if serbian else OWNERS_SQ),
            due_on=due,
            status=ActionStatus.DONE if done else ActionStatus.OPEN,
            done_at=demo_time(max(done_day, day), 15) if done else None,
            note=("Урађено." if serbian else "U krye.") if done and self.rng.random() < 0.4 else "",
        )
