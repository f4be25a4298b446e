"""Recognitions of special contributions [2.2.3]."""

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from cpis.core.filters import Filters, flag, search
from cpis.organisation.access import Actor

from ..models import Recognition
from .common import get_one, visible


@dataclass(frozen=True)
class RecognitionFilters(Filters):
    recipient_kind: str = ""
    published: str = flag(Q(is_published=True))
    query: str = search("recipient_name", "reason")


def list_recognitions(actor: Actor, filters: RecognitionFilters | None = None) -> QuerySet[Recognition]:
    recognitions = (filters or RecognitionFilters()).apply(visible(actor, Recognition))
    return recognitions.select_related("unit", "partner").order_by("-awarded_on", "-id")


def get_recognition(actor: Actor, recognition_id: int) -> Recognition:
    return get_one(visible(actor, Recognition).select_related("unit", "partner"), recognition_id)
