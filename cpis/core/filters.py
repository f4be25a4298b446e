"""The filters of a list page, declared once as a frozen dataclass whose
fields say how each one narrows the records: to an equal field (the
default), under a path, by text in some fields, or by a yes/no answer."""

from collections.abc import Callable
from dataclasses import dataclass, field, fields
from typing import Any, TypeVar

from django.db.models import Q, QuerySet

Rows = TypeVar("Rows", bound=QuerySet[Any])


def yes_no(value: str) -> bool | None:
    return {"yes": True, "no": False}.get(value)


def under() -> str:
    """A filter field holding a place's path: records at it or below it."""
    return field(default="", metadata={"under": True})


def search(*names: str) -> str:
    """A filter field whose text is looked for in these fields of the record."""
    return field(default="", metadata={"searched": names})


def flag(condition: Q | Callable[[], Q]) -> str:
    """A filter field that answers "yes" or "no" to a condition on the record
    (a function for a condition that depends on the day)."""
    return field(default="", metadata={"condition": condition})


@dataclass(frozen=True)
class Filters:
    """The filters of a list page; each one set narrows the records: `under`,
    `search` and `flag` fields as they say, any other field to records whose
    field of the same name equals it."""

    def apply(self, records: Rows) -> Rows:
        for spec in fields(self):
            value = getattr(self, spec.name)
            if not value:
                continue
            if "under" in spec.metadata:
                records = records.filter(**{f"{spec.name}__startswith": value})
            elif "searched" in spec.metadata:
                records = _search(records, spec.metadata["searched"], value)
            elif "condition" in spec.metadata:
                records = _answer(records, spec.metadata["condition"], yes_no(value))
            else:
                records = records.filter(**{spec.name: value})
        return records


def _search(records: Rows, names: tuple[str, ...], text: str) -> Rows:
    found = Q()
    for name in names:
        found |= Q(**{f"{name}__icontains": text})
    # Through a to-many relation a record would come once per match.
    return records.filter(found).distinct() if any("__" in n for n in names) else records.filter(found)


def _answer(records: Rows, condition: Q | Callable[[], Q], answer: bool | None) -> Rows:
    if answer is None:
        return records
    condition = condition if isinstance(condition, Q) else condition()
    return records.filter(condition) if answer else records.exclude(condition)
