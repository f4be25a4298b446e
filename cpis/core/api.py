"""What every app's JSON API shares: the query and the body of a list
endpoint (a page of items with their count), and the rule for a query's
range of days.

An app's list query names its filters in a schema of their own and takes the
page from `PageQuery`, placed first among the bases so that its fields come
last in the query string (and in the OpenAPI description):

    class ForumFilters(Schema):
        kind: ForumKind | None = None

    class ForumQuery(PageQuery, ForumFilters):
        pass

    class ForumPage(Page[ForumOut]):
        pass

and the endpoint answers `page_of(selectors.list_forums(...), query)`."""

from datetime import date
from typing import Any, Generic, Protocol, TypeVar

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from ninja import Field, Schema

Item = TypeVar("Item")


class PageQuery(Schema):
    """A list endpoint's page: `limit` items from the `offset`-th."""

    limit: int = Field(50, ge=1, le=500)
    offset: int = Field(0, ge=0)


class Page(Schema, Generic[Item]):
    """A list endpoint's body: one page of items and the count of them all."""

    items: list[Item]
    count: int


def page_of(items: QuerySet[Any], query: PageQuery, **more: Any) -> dict[str, Any]:
    """The body of a list endpoint: `query.limit` items from `query.offset`,
    the count of them all, and any `more` fields of the page."""
    return {"items": list(items[query.offset : query.offset + query.limit]), "count": items.count(), **more}


class DayRange(Protocol):
    since: date | None
    until: date | None


Days = TypeVar("Days", bound=DayRange)


def days_in_order(query: Days) -> Days:
    """A query's first day (`since`) may not be after its last (`until`); as a
    schema's `model_validator(mode="after")`, a request that breaks it is a 422."""
    if query.since and query.until and query.since > query.until:
        raise ValueError(_("The first day must not be after the last day."))
    return query
