"""Agreements, memoranda and administrative guidelines [2.1.2], and their signed PDF."""

from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from cpis.core.filters import Filters, search
from cpis.organisation.access import Actor

from ..models import Agreement, Partner
from .common import get_one, visible


@dataclass(frozen=True)
class AgreementFilters(Filters):
    kind: str = ""
    status: str = ""
    query: str = search("title", "partners__name")


def list_agreements(actor: Actor, filters: AgreementFilters | None = None) -> QuerySet[Agreement]:
    agreements = (filters or AgreementFilters()).apply(visible(actor, Agreement))
    return (
        agreements.select_related("unit")
        .prefetch_related(Prefetch("partners", queryset=Partner.objects.order_by("name")))
        .order_by("-signed_on", "-id")
    )


def get_agreement(actor: Actor, agreement_id: int) -> Agreement:
    return get_one(
        visible(actor, Agreement)
        .select_related("unit")
        .prefetch_related(Prefetch("partners", queryset=Partner.objects.order_by("name"))),
        agreement_id,
    )


def get_agreement_document(actor: Actor, agreement_id: int) -> Agreement:
    agreement = get_agreement(actor, agreement_id)
    if not agreement.document:
        raise Http404(_("Not found."))
    return agreement
