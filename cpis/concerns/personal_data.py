"""What concerns hold about a person: the reporter's name, e-mail and phone
(core.subjects). Erasure removes the reporter's contact and keeps the
concern, which is a policing record; its history says under which request,
with nothing about the person. A "me too" given with an e-mail is found by
the keyed hash of that address (nothing else about the person is kept), and
erasing it withdraws the support."""

from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cpis.core import outbox
from cpis.core.subjects import (
    EMAIL,
    Hit,
    Kind,
    NoLongerHeld,
    Terms,
    fields,
    matching,
    sent_messages,
    whole_id,
)

from .models import Concern, ConcernEvent, ConcernSupport, EventKind
from .services import RECORD_TYPE
from .services.public import supporter_hashes

SUBJECT = "concerns.concern"
CONTACT = ("reporter_name", "reporter_email", "reporter_phone")


def _hit(concern: Concern, matched: tuple[str, ...] = ()) -> Hit:
    summary = _("Concern %(reference)s · %(category)s · received %(date)s · %(status)s") % {
        "reference": concern.reference,
        "category": concern.category.name,
        "date": date_format(timezone.localtime(concern.created_at), "SHORT_DATE_FORMAT"),
        "status": concern.get_status_display(),
    }
    return Hit(str(concern.pk), summary, concern.unit.name, matched)


def _concerns(ids: Sequence[object]) -> list[Concern]:
    return list(
        Concern.objects.filter(pk__in=list(ids))
        .select_related("category", "unit")
        .order_by("-created_at", "-pk")
    )


def find(terms: Terms) -> list[Hit]:
    found = matching(
        Concern.objects.all(), terms, name="reporter_name", email="reporter_email", phone="reporter_phone"
    )
    return [_hit(concern, found[concern.pk]) for concern in _concerns(list(found))]


def describe(ids: Sequence[str]) -> dict[str, Hit]:
    numbers = [int(i) for i in ids if i.isascii() and i.isdecimal()]
    return {hit.id: hit for hit in map(_hit, _concerns(numbers))}


def export(subject_id: str) -> dict[str, Any]:
    concern = (
        Concern.objects.select_related("category", "unit", "sector").filter(pk=whole_id(subject_id)).first()
    )
    if concern is None:
        raise NoLongerHeld
    events = concern.events.order_by("at", "id")
    return {
        _("Reporter"): fields(concern, [*CONTACT, "is_anonymous", "language", "contact_anonymised_at"]),
        _("Concern"): fields(
            concern,
            [
                "reference",
                "created_at",
                "channel",
                "category",
                "description",
                "text_language",
                "place_text",
                "lat",
                "lon",
                "photo",
                "unit",
                "sector",
                "status",
                "closed_at",
                "outcome",
            ],
        ),
        # Internal notes are the police's assessments: kept apart, so that the
        # officer decides what the answer leaves out (LED Art. 15).
        _("History"): [fields(event, ["at", "kind", "text", "is_public"]) for event in events],
        _("E-mails to the reporter"): sent_messages(RECORD_TYPE, concern.pk),
    }


@transaction.atomic
def erase(subject_id: str, *, legal_reason: str, by_user_id: int, request_reference: str) -> str:
    """Remove the reporter's name, e-mail and phone, and the address from the
    concern's e-mails; the concern stays, with the removal in its history."""
    concern = Concern.objects.select_for_update().filter(pk=whole_id(subject_id)).first()
    if concern is None:
        raise NoLongerHeld
    Concern.objects.filter(pk=concern.pk).update(
        reporter_name="",
        reporter_email="",
        reporter_phone="",
        contact_anonymised_at=timezone.now(),
        updated_at=timezone.now(),
    )
    ConcernEvent.objects.create(
        concern=concern, kind=EventKind.ANONYMISED, actor_id=by_user_id, text=request_reference
    )
    outbox.forget_recipients(record_type=RECORD_TYPE, record_ids=[str(concern.pk)])
    return _("The reporter's name, e-mail and phone were removed; the concern stays as a policing record.")


def _support_hit(support: ConcernSupport, matched: tuple[str, ...] = ()) -> Hit:
    summary = _("Support (“me too”) of concern %(reference)s · %(date)s") % {
        "reference": support.concern.reference,
        "date": date_format(timezone.localtime(support.at), "SHORT_DATE_FORMAT"),
    }
    return Hit(str(support.pk), summary, support.concern.unit.name, matched)


def _supports(**lookup: Any) -> list[ConcernSupport]:
    return list(
        ConcernSupport.objects.filter(**lookup).select_related("concern__unit").order_by("-at", "-pk")
    )


def find_supports(terms: Terms) -> list[Hit]:
    hashes = [supporter_hashes(session_key="", email=email)[1] for email in terms.emails]
    return [_support_hit(s, (EMAIL,)) for s in _supports(email_hash__in=[h for h in hashes if h])]


def describe_supports(ids: Sequence[str]) -> dict[str, Hit]:
    numbers = [int(i) for i in ids if i.isascii() and i.isdecimal()]
    return {hit.id: hit for hit in map(_support_hit, _supports(pk__in=numbers))}


def export_support(subject_id: str) -> dict[str, Any]:
    support = ConcernSupport.objects.select_related("concern").filter(pk=whole_id(subject_id)).first()
    if support is None:
        raise NoLongerHeld
    return {_("Support (“me too”)"): {_("concern"): support.concern.reference, _("when"): support.at}}


@transaction.atomic
def erase_support(subject_id: str, *, legal_reason: str, by_user_id: int, request_reference: str) -> str:
    """Delete the support and take it off the concern's count."""
    support = ConcernSupport.objects.select_for_update().filter(pk=whole_id(subject_id)).first()
    if support is None:
        raise NoLongerHeld
    Concern.objects.filter(pk=support.concern_id, support_count__gt=0).update(
        support_count=F("support_count") - 1
    )
    support.delete()
    return _("The support was deleted and no longer counts on the concern.")


KINDS = [
    Kind(
        subject_type=SUBJECT,
        label=gettext_lazy("Concern (the person reported it)"),
        erasure=gettext_lazy(
            "Removes the reporter's name, e-mail and phone; the concern stays as a policing record."
        ),
        find=find,
        describe=describe,
        export=export,
        erase=erase,
    ),
    Kind(
        subject_type="concerns.concernsupport",
        label=gettext_lazy("Support of a concern (“me too” with the person's e-mail)"),
        erasure=gettext_lazy("Deletes the support; the concern counts one supporter fewer."),
        find=find_supports,
        describe=describe_supports,
        export=export_support,
        erase=erase_support,
    ),
]
