"""What the partners' reads share: records under the actor's places, one of
them or 404, the filters of a list page, and the units a form offers."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, fields
from typing import TypeVar

from django.db.models import Model, Q, QuerySet

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


def yes_no(value: str) -> bool | None:
    return {"yes": True, "no": False}.get(value)


def search(*names: str) -> str:
    """A filter field whose text is looked for in these fields of the record."""
    return field(default="", metadata={"searched": names})


def flag(condition: Q | Callable[[], Q]) -> str:
    """A filter field that answers "yes" or "no" to a condition on the record
    (a function for a condition that depends on the day)."""
    return field(default="", metadata={"condition": condition})


@dataclass(frozen=True)
class Filters:
    """The filters of a list page; each one set narrows the records: a
    `search` or a `flag` as it says, any other field to records whose field of
    the same name equals it."""

    def apply(self, records: QuerySet[M]) -> QuerySet[M]:
        for spec in fields(self):
            value = getattr(self, spec.name)
            if not value:
                continue
            if "searched" in spec.metadata:
                records = _search(records, spec.metadata["searched"], value)
            elif "condition" in spec.metadata:
                records = _answer(records, spec.metadata["condition"], yes_no(value))
            else:
                records = records.filter(**{spec.name: value})
        return records


def _search(records: QuerySet[M], names: tuple[str, ...], text: str) -> QuerySet[M]:
    found = Q()
    for name in names:
        found |= Q(**{f"{name}__icontains": text})
    # Through a to-many relation a record would come once per match.
    return records.filter(found).distinct() if any("__" in n for n in names) else records.filter(found)


def _answer(records: QuerySet[M], condition: Q | Callable[[], Q], answer: bool | None) -> QuerySet[M]:
    if answer is None:
        return records
    condition = condition if isinstance(condition, Q) else condition()
    return records.filter(condition) if answer else records.exclude(condition)


def list_units(actor: Actor, *, kinds: Iterable[str], action: str = "manage") -> QuerySet[Unit]:
    """Units of these kinds where the actor may do `action`, for a form's choice."""
    return (
        Unit.objects.filter(policy.scope(actor, action), kind__in=list(kinds))
        .select_related("parent")
        .order_by("path")
    )
