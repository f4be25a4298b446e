"""Recognitions given to partners, volunteers and groups."""

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cpis.core.text import check_choice, clean_text
from cpis.organisation.access import Actor
from cpis.organisation.models import Unit

from ..models import (
    Partner,
    RecipientKind,
    Recognition,
)
from ..policy import policy
from .checks import check_past, clean_name, require_move, save_at


@dataclass(frozen=True)
class RecognitionData:
    recipient_kind: str
    recipient_name: str
    reason: str
    awarded_on: date
    unit: Unit
    partner: Partner | None = None
    is_published: bool = False


def _save_recognition(actor: Actor, recognition: Recognition, data: RecognitionData) -> Recognition:
    check_choice(data.recipient_kind, RecipientKind.values, _("Choose who is recognised."))
    if data.partner is not None:
        policy.require(actor, "view", data.partner.unit_path)
    name = data.recipient_name or (data.partner.name if data.partner else "")
    recognition.recipient_kind = data.recipient_kind
    recognition.recipient_name = clean_name(name)
    recognition.partner = data.partner
    recognition.reason = clean_text(
        data.reason, limit=2000, required=True, missing=_("Say what the recognition is for.")
    )
    recognition.awarded_on = check_past(data.awarded_on) or timezone.localdate()
    recognition.is_published = data.is_published
    return save_at(recognition, data.unit)


@transaction.atomic
def award_recognition(actor: Actor, *, data: RecognitionData) -> Recognition:
    """Thank a citizen, forum, partner or officer for a special contribution [2.2.3]."""
    policy.require(actor, "manage", data.unit.path)
    return _save_recognition(actor, Recognition(created_by_id=actor.user_id), data)


@transaction.atomic
def update_recognition(actor: Actor, *, recognition: Recognition, data: RecognitionData) -> Recognition:
    require_move(actor, recognition.unit_path, data.unit)
    return _save_recognition(actor, recognition, data)
