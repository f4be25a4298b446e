"""Recognitions of special contributions [2.2.3]."""

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from cpis.organisation.access import Actor

from ..models import Recognition
from .common import get_one, visible, yes_no


@dataclass(frozen=True)
class RecognitionFilters:
    recipient_kind: str = ""
    published: str = ""
    query: str = ""


def list_recognitions(actor: Actor, filters: RecognitionFilters | None = None) -> QuerySet[Recognition]:
    filters = filters or RecognitionFilters()
    recognitions = visible(actor, Recognition)
    if filters.recipient_kind:
        recognitions = recognitions.filter(recipient_kind=filters.recipient_kind)
    published = yes_no(filters.published)
    if published is not None:
        recognitions = recognitions.filter(is_published=published)
    if filters.query:
        recognitions = recognitions.filter(
            Q(recipient_name__icontains=filters.query) | Q(reason__icontains=filters.query)
        )
    return recognitions.select_related("unit", "partner").order_by("-awarded_on", "-id")


def get_recognition(actor: Actor, recognition_id: int) -> Recognition:
    return get_one(visible(actor, Recognition).select_related("unit", "partner"), recognition_id)
