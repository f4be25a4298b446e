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

and the endpoint answers `page_of(selectors.list_forums(...), query)`.

A day a client gives is a `Day`: one outside the years CPIS knows
(`periods.within_years`) is a 422 like any other invalid value, never an
overflow further on. So is an `Id` or an offset no database column holds."""

from datetime import date
from typing import Annotated, Any, Generic, Protocol, TypeVar

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination
from pydantic import AfterValidator

from .http import MAX_ID
from .periods import within_years

Item = TypeVar("Item")

Day = Annotated[date, AfterValidator(within_years)]
# A record's number as a filter: one no key can hold is a 422.
Id = Annotated[int, Field(ge=0, le=MAX_ID)]

# The furthest a list may be skipped into: more rows than any list here holds, and
# well inside the 64-bit OFFSET of the databases (a larger one is a 422, not an overflow).
MAX_OFFSET = 10**9


class PageQuery(Schema):
    """A list endpoint's page: `limit` items from the `offset`-th."""

    limit: int = Field(50, ge=1, le=500)
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


class LimitOffset(LimitOffsetPagination):
    """django-ninja's limit and offset pagination, with PageQuery's bound on the offset."""

    class Input(LimitOffsetPagination.Input):
        offset: int = Field(0, ge=0, le=MAX_OFFSET)


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
