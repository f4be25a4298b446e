"""What complaints hold about a person: the complainant's name, e-mail and
phone (core.subjects). An open complaint keeps them: the investigation needs
them as evidence, so the law has processing restricted instead (LED Art.
16(3)(b)); a decided or referred one has them removed, and the complaint
stays."""

from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cpis.core import outbox
from cpis.core.subjects import (
    ErasureRefused,
    Hit,
    Kind,
    NoLongerHeld,
    Terms,
    fields,
    matching,
    sent_messages,
    whole_id,
)

from .models import OPEN, Complaint, ComplaintEvent

SUBJECT = "complaints.complaint"
RECORD_TYPE = Complaint._meta.label_lower


class ComplaintStillOpen(ErasureRefused):
    message = gettext_lazy(
        "The complaint is still being dealt with: the complainant's data is evidence the "
        "investigation must keep (LED Art. 16(3)(b)). Restrict its processing instead; erase it "
        "once the complaint is decided."
    )


def _hit(complaint: Complaint, matched: tuple[str, ...] = ()) -> Hit:
    summary = _("Complaint %(reference)s · received %(date)s · %(status)s") % {
        "reference": complaint.reference,
        "date": date_format(timezone.localtime(complaint.created_at), "SHORT_DATE_FORMAT"),
        "status": complaint.get_status_display(),
    }
    place = complaint.unit.name if complaint.unit else _("Professional standards")
    return Hit(str(complaint.pk), summary, place, matched)


def _complaints(ids: Sequence[object]) -> list[Complaint]:
    return list(
        Complaint.objects.filter(pk__in=list(ids)).select_related("unit").order_by("-created_at", "-pk")
    )


def find(terms: Terms) -> list[Hit]:
    found = matching(
        Complaint.objects.all(),
        terms,
        name="complainant_name",
        email="complainant_email",
        phone="complainant_phone",
    )
    return [_hit(complaint, found[complaint.pk]) for complaint in _complaints(list(found))]


def describe(ids: Sequence[str]) -> dict[str, Hit]:
    numbers = [int(i) for i in ids if i.isascii() and i.isdecimal()]
    return {hit.id: hit for hit in map(_hit, _complaints(numbers))}


def export(subject_id: str) -> dict[str, Any]:
    complaint = Complaint.objects.select_related("unit").filter(pk=whole_id(subject_id)).first()
    if complaint is None:
        raise NoLongerHeld
    # The officer complained about, once identified, is another person's data: left out.
    return {
        _("Complainant"): fields(
            complaint,
            ["complainant_name", "complainant_email", "complainant_phone", "is_anonymous", "language"],
        ),
        _("Complaint"): fields(
            complaint,
            [
                "reference",
                "created_at",
                "description",
                "incident_date",
                "incident_place",
                "officer_description",
                "unit",
                "status",
                "outcome",
                "outcome_text",
                "acknowledged_at",
                "decided_at",
            ],
        ),
        _("History"): [
            {
                str(_("when")): event.at,
                str(_("status")): event.get_to_status_display(),
                str(_("text")): event.text,
            }
            for event in complaint.events.order_by("at", "id")
        ],
        _("E-mails to the complainant"): sent_messages(RECORD_TYPE, complaint.pk),
    }


@transaction.atomic
def erase(subject_id: str, *, legal_reason: str, by_user_id: int, request_reference: str) -> str:
    """Remove the complainant's name, e-mail and phone from a decided or
    referred complaint (ComplaintStillOpen while it is open), and the address
    from its e-mails; the complaint stays, with the removal in its history."""
    complaint = Complaint.objects.select_for_update().filter(pk=whole_id(subject_id)).first()
    if complaint is None:
        raise NoLongerHeld
    if complaint.status in OPEN:
        raise ComplaintStillOpen
    Complaint.objects.filter(pk=complaint.pk).update(
        complainant_name="", complainant_email="", complainant_phone="", updated_at=timezone.now()
    )
    ComplaintEvent.objects.create(
        complaint=complaint,
        actor_id=by_user_id,
        text=_("The complainant's contact details were removed under the data-subject request %(reference)s.")
        % {"reference": request_reference},
    )
    outbox.forget_recipients(record_type=RECORD_TYPE, record_ids=[str(complaint.pk)])
    return _("The complainant's name, e-mail and phone were removed; the complaint stays.")


KINDS = [
    Kind(
        subject_type=SUBJECT,
        label=gettext_lazy("Complaint against police (the person complained)"),
        erasure=gettext_lazy(
            "Removes the complainant's name, e-mail and phone once the complaint is decided; "
            "refused while it is open."
        ),
        find=find,
        describe=describe,
        export=export,
        erase=erase,
    )
]
