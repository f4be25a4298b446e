"""Trainers [2.4.9], tension reports [2.4.10] and press releases [2.4.12]."""

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cpis.core.errors import DomainError, InvalidInput
from cpis.core.text import check_choice, clean_text
from cpis.organisation.access import Actor
from cpis.organisation.models import Language

from ..models import (
    Forum,
    ForumMember,
    PressRelease,
    TensionLevel,
    TensionReport,
    TrainerEngagement,
)
from ..policy import policy
from .checks import past_date
from .reminders import tell_high_tension


class ReleaseEmpty(DomainError):
    message = gettext_lazy("A press release needs a title and a text.")


@transaction.atomic
def record_trainer_engagement(
    actor: Actor, *, member: ForumMember, on: date, initiative: str, audience: str
) -> TrainerEngagement:
    """A forum member served as a community safety trainer [2.4.9]."""
    policy.require(actor, "manage", member.forum.unit_path)
    return TrainerEngagement.objects.create(
        member=member,
        on=past_date(on, _("The date of the engagement must lie between %(earliest)s and today.")),
        initiative=clean_text(
            initiative, limit=300, required=True, missing=_("Name the initiative and its venue.")
        ),
        audience=clean_text(audience, limit=300, required=True, missing=_("Say who was trained.")),
        recorded_by_id=actor.user_id,
    )


@transaction.atomic
def report_tension(
    actor: Actor, *, forum: Forum, reported_on: date, level: str, summary: str, follow_up: str = ""
) -> TensionReport:
    """A forum's input to community tension monitoring [2.4.10]; a "high" one
    tells the station command and the sector team."""
    policy.require(actor, "manage", forum.unit_path)
    report = TensionReport.objects.create(
        forum=forum,
        reported_on=past_date(
            reported_on, _("The date of the report must lie between %(earliest)s and today.")
        ),
        level=check_choice(level, TensionLevel.values, _("Choose the level of tension.")),
        summary=clean_text(summary, limit=4000, required=True, missing=_("Say what was reported.")),
        follow_up=clean_text(follow_up, limit=4000, required=False),
        recorded_by_id=actor.user_id,
    )
    tell_high_tension(actor, report)
    return report


@transaction.atomic
def save_press_release(
    actor: Actor,
    *,
    forum: Forum,
    title: str,
    body: str,
    language: str,
    release: PressRelease | None = None,
) -> PressRelease:
    """Write or change a press release on forum activity [2.4.12]; it stays
    a draft until published."""
    policy.require(actor, "manage", forum.unit_path)
    title = clean_text(title, limit=200, required=True, missing=ReleaseEmpty.message)
    body = clean_text(body, limit=20_000, required=True, missing=ReleaseEmpty.message)
    language = check_choice(language, Language.values, _("Choose the language of the text."))
    if release is None:
        return PressRelease.objects.create(
            forum=forum, title=title, body=body, language=language, author_id=actor.user_id
        )
    if release.forum_id != forum.pk:
        raise InvalidInput(_("This press release belongs to another forum."))
    release = PressRelease.objects.select_for_update().get(pk=release.pk)
    release.title, release.body, release.language = title, body, language
    release.save(update_fields=["title", "body", "language", "updated_at"])
    return release


@transaction.atomic
def publish_press_release(actor: Actor, *, release: PressRelease, publish: bool = True) -> PressRelease:
    """Publish a press release as forum news on the citizens' side (counted
    by the day it was first published), or withdraw it."""
    policy.require(actor, "manage", release.forum.unit_path)
    release = PressRelease.objects.select_for_update().get(pk=release.pk)
    release.is_published = publish
    if publish and release.published_at is None:
        release.published_at = timezone.now()
    release.save(update_fields=["is_published", "published_at", "updated_at"])
    return release
