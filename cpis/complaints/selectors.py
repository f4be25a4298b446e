"""Reads for complaints: only professional standards, minus conflicts."""

from django.db.models import QuerySet
from django.http import HttpRequest

from cpis.accounts.audit import log_personal_data_access
from cpis.core.citizens import contact_of
from cpis.core.http import one_or_404
from cpis.core.periods import Period, count_per_period
from cpis.organisation.access import Actor

from .models import OPEN, Complaint
from .policy import conflict_filter, policy


def visible_complaints(actor: Actor) -> QuerySet[Complaint]:
    return Complaint.objects.filter(policy.scope(actor, "view", "scope_path")).exclude(conflict_filter(actor))


def list_complaints(actor: Actor, *, open_only: bool = False) -> QuerySet[Complaint]:
    complaints = visible_complaints(actor).select_related("unit", "accused_officer")
    if open_only:
        complaints = complaints.filter(status__in=OPEN)
    return complaints.order_by("decide_by", "id")


def get_complaint(actor: Actor, complaint_id: int) -> Complaint:
    return one_or_404(list_complaints(actor), pk=complaint_id)


def open_complaint(actor: Actor, complaint_id: int, *, request: HttpRequest | None) -> Complaint:
    """The complaint to read in full (the complainant's account, the accused
    officer); every opening is logged."""
    complaint = get_complaint(actor, complaint_id)
    log_personal_data_access(
        user_id=actor.user_id, subject_type="complaints.complaint", subject_id=complaint.pk, request=request
    )
    return complaint


def get_complainant(actor: Actor, complaint: Complaint, *, request: HttpRequest | None) -> dict[str, str]:
    """The complainant's contact details; every view is logged."""
    policy.require(actor, "investigate", complaint.scope_path)
    log_personal_data_access(
        user_id=actor.user_id, subject_type="complaints.complaint", subject_id=complaint.pk, request=request
    )
    return contact_of(complaint, "complainant")


def load_by_reference(reference: str) -> Complaint | None:
    return Complaint.objects.filter(reference=reference).first()


def load_by_id(complaint_id: int) -> Complaint:
    """For the complainant's own view, after the code was checked."""
    return one_or_404(Complaint.objects, pk=complaint_id)


def count_outcome_returned(periods: list[Period], *, path: str = "") -> list[int]:
    """Complaints decided in each period: the complainant is told the outcome
    in their language [2.3.5]. Counts only, no complaint is shown."""
    complaints = Complaint.objects.filter(decided_at__isnull=False)
    if path:
        complaints = complaints.filter(unit__path__startswith=path)
    return count_per_period(complaints, "decided_at", periods)
