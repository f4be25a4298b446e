"""What every app's JSON API shares: one page of a list."""

from typing import Any, Protocol

from django.db.models import QuerySet


class PageQuery(Protocol):
    """A list endpoint's query: how many items from which one."""

    limit: int
    offset: int


def page_of(items: QuerySet[Any], query: PageQuery, **more: Any) -> dict[str, Any]:
    """The body of a list endpoint: `query.limit` items from `query.offset`,
    the count of them all, and any `more` fields of the page."""
    return {"items": list(items[query.offset : query.offset + query.limit]), "count": items.count(), **more}
