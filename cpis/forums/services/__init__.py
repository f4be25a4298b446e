"""Writes for community safety forums: the forum registry and its members
[2.4.11], meetings from planning to minutes with decisions and action items
[2.4.5, 2.4.8], proposed LPSC sites [2.4.1], trainers [2.4.9], tension
reports [2.4.10] and press releases [2.4.12]. Each checks the policy at the
forum's place first and changes nothing when it refuses."""

from cpis.core.errors import InvalidInput

from .checks import EARLIEST_DATE, WrongPlace
from .forums import CouncilNeedsStation, ForumInput, create_forum, update_forum
from .meetings import (
    MAX_ACTION_ITEMS,
    MAX_DECISIONS,
    ActionInput,
    ActionItemDone,
    ForumDissolved,
    MeetingInFuture,
    MeetingInput,
    MeetingNotPlanned,
    MinutesMissing,
    NotAMember,
    add_action_item,
    add_decision,
    cancel_meeting,
    complete_action_item,
    publish_minutes,
    record_meeting_held,
    schedule_meeting,
    update_meeting,
)
from .members import MemberInput, add_member, update_member
from .records import (
    ReleaseEmpty,
    publish_press_release,
    record_trainer_engagement,
    report_tension,
    save_press_release,
)
from .reminders import DUE_WITHIN_DAYS, notify_due_action_items
from .sites import SiteNeedsForum, change_site_status, identify_site

__all__ = [
    "DUE_WITHIN_DAYS",
    "EARLIEST_DATE",
    "MAX_ACTION_ITEMS",
    "MAX_DECISIONS",
    "ActionInput",
    "ActionItemDone",
    "CouncilNeedsStation",
    "ForumDissolved",
    "ForumInput",
    "InvalidInput",
    "MeetingInFuture",
    "MeetingInput",
    "MeetingNotPlanned",
    "MemberInput",
    "MinutesMissing",
    "NotAMember",
    "ReleaseEmpty",
    "SiteNeedsForum",
    "WrongPlace",
    "add_action_item",
    "add_decision",
    "add_member",
    "cancel_meeting",
    "change_site_status",
    "complete_action_item",
    "create_forum",
    "identify_site",
    "notify_due_action_items",
    "publish_minutes",
    "publish_press_release",
    "record_meeting_held",
    "record_trainer_engagement",
    "report_tension",
    "save_press_release",
    "schedule_meeting",
    "update_forum",
    "update_meeting",
    "update_member",
]
