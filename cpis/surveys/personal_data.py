"""What the surveys hold about a person (core.subjects): the invitation to the
questionnaire after a closed concern, which ties that questionnaire's answers to
the concern's reporter. Every other response is anonymous by design (no name,
no contact; the device only as a keyed hash).

The reporter is found through the concern's contact. Erasure deletes the
invitation: the answers stay, counted with everyone else's, and nothing links
them to the concern or its reporter any more."""

from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cpis.core.subjects import Hit, Kind, NoLongerHeld, Terms, fields, matching, whole_id

from .models import Invitation, Response

SUBJECT = "surveys.invitation"


def _invitations(ids: Sequence[object]) -> list[Invitation]:
    return list(
        Invitation.objects.filter(pk__in=list(ids))
        .select_related("concern", "response")
        .order_by("-sent_at", "-pk")
    )


def _hit(invitation: Invitation, matched: tuple[str, ...] = ()) -> Hit:
    summary = _("Questionnaire after concern %(reference)s · sent %(date)s · %(state)s") % {
        "reference": invitation.concern.reference,
        "date": date_format(timezone.localtime(invitation.sent_at), "SHORT_DATE_FORMAT"),
        "state": _("answered") if invitation.response_id else _("not answered"),
    }
    return Hit(str(invitation.pk), summary, "", matched)


def find(terms: Terms) -> list[Hit]:
    found = matching(
        Invitation.objects.all(),
        terms,
        name="concern__reporter_name",
        email="concern__reporter_email",
        phone="concern__reporter_phone",
    )
    return [_hit(invitation, found[invitation.pk]) for invitation in _invitations(list(found))]


def describe(ids: Sequence[str]) -> dict[str, Hit]:
    numbers = [int(i) for i in ids if i.isascii() and i.isdecimal()]
    return {hit.id: hit for hit in map(_hit, _invitations(numbers))}


def export(subject_id: str) -> dict[str, Any]:
    invitation = (
        Invitation.objects.select_related("concern", "response").filter(pk=whole_id(subject_id)).first()
    )
    if invitation is None:
        raise NoLongerHeld
    out: dict[str, Any] = {
        _("Invitation"): {
            **fields(invitation, ["sent_at", "expires_at"]),
            _("concern"): invitation.concern.reference,
        }
    }
    response: Response | None = invitation.response
    if response is not None:
        out[_("Answers")] = {
            **fields(response, ["submitted_at", "language", "community", "gender", "age_band"]),
            # All of it, their own free text included: the person wrote it.
            **response.answers,
        }
    return out


@transaction.atomic
def erase(subject_id: str, *, legal_reason: str, by_user_id: int, request_reference: str) -> str:
    """Delete the invitation; its answers stay, anonymous."""
    invitation = Invitation.objects.select_for_update().filter(pk=whole_id(subject_id)).first()
    if invitation is None:
        raise NoLongerHeld
    invitation.delete()
    return _(
        "The invitation was deleted; the answers stay, counted with everyone else's and linked to no one."
    )


KINDS = [
    Kind(
        subject_type=SUBJECT,
        label=gettext_lazy("Questionnaire after a concern (the person was invited to it)"),
        erasure=gettext_lazy(
            "Deletes the invitation; the answers stay, counted with everyone else's and linked to no one."
        ),
        find=find,
        describe=describe,
        export=export,
        erase=erase,
    )
]
