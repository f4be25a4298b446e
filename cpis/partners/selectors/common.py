"""What the partners' reads share: records under the actor's places, one of
them or 404, and the units a form offers."""

from collections.abc import Iterable
from typing import TypeVar

from django.db.models import Model, QuerySet

from cpis.core.http import one_or_404
from cpis.organisation.access import Actor
from cpis.organisation.models import Unit, UnitKind

from ..policy import policy

M = TypeVar("M", bound=Model)

CENTRAL_KINDS = frozenset({UnitKind.DIRECTORATE})
LOCAL_KINDS = frozenset({UnitKind.REGION, UnitKind.STATION, UnitKind.SUBSTATION, UnitKind.SECTOR})


def visible(actor: Actor, model: type[M]) -> QuerySet[M]:
    """Records held by a unit at or under the actor's places (fails closed)."""
    return model._default_manager.filter(policy.scope(actor, "view", "unit_path"))


def get_one(queryset: QuerySet[M], pk: int) -> M:
    return one_or_404(queryset, pk=pk)


def list_units(actor: Actor, *, kinds: Iterable[str], action: str = "manage") -> QuerySet[Unit]:
    """Units of these kinds where the actor may do `action`, for a form's choice."""
    return (
        Unit.objects.filter(policy.scope(actor, action), kind__in=list(kinds))
        .select_related("parent")
        .order_by("path")
    )
