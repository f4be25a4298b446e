"""Hostile values in every parameter of every page and API operation, as a
signed-in member of staff: a NUL character, dates at the ends of the calendar,
a number no database column holds and a very long string are the caller's
mistake (4xx), never the server's (5xx). Runs on SQLite and on PostgreSQL,
which refuses NUL characters and overflows where SQLite does not."""

import re
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlencode

import pytest
from django.http import QueryDict
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from cpis.api import api as ninja_api
from cpis.concerns.tests.factories import submit
from cpis.forums.tests.factories import ActionItemFactory, ForumFactory, MemberFactory, PressReleaseFactory
from cpis.partners.tests import factories as partners

NUL = "\x00"
HOSTILE = [
    NUL,
    "9999-12-31T23:59:59Z",
    "0001-01-01",
    "9999-12-31",
    str(10**30),
    "-" + str(10**30),
    "x" * 5000,
]
# The values sent to each parameter a page reads on its own.
OUT_OF_RANGE = ["9999-12-31T23:59:59Z", "0001-01-01", str(10**30)]
# Parameters many pages read, besides those a page is seen to read.
COMMON = ["q", "page", "offset", "limit", "start", "end", "from", "to", "since", "until", "date", "month",
          "year", "status", "unit", "place", "kind", "category", "sort", "show"]  # fmt: skip
# Who opens an area's pages: a station commander sees most; the action plan is the
# strategy coordinator's.
PERSONAS = {"plans": "strategy_coordinator"}
# Pages whose GET changes something or leaves the site.
SKIPPED = {"logout", "set_language"}


@pytest.fixture
def records(tree, categories):
    """One record of each kind a page's id can name, at sector n1a; an id with no
    record of its own here names station N1."""
    forum = ForumFactory(unit=tree.n1a)
    item = ActionItemFactory(meeting__forum=forum)
    partner = partners.partner(tree.n1a)
    concern = submit().concern
    return {
        "unit_id": tree.n1.pk,
        "sector_id": tree.n1a.pk,
        "forum_id": forum.pk,
        "meeting_id": item.meeting.pk,
        "item_id": item.pk,
        "member_id": MemberFactory(forum=forum).pk,
        "release_id": PressReleaseFactory(forum=forum).pk,
        "partner_id": partner.pk,
        "contact_id": partners.contact(partner).pk,
        "concern_id": concern.pk,
        "year": 2024,
        "month": 5,
    }


def _walk(patterns, prefix="", namespace=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern), inner)
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), namespace + (entry.name or "")


def _pages() -> list[tuple[str, str]]:
    return [
        (route, name)
        for route, name in _walk(get_resolver().url_patterns)
        if not route.startswith(("admin/", "api/v1/")) and name.rpartition(":")[2] not in SKIPPED
    ]


def _url(route: str, ids: dict[str, int]) -> str:
    url = re.sub(r"<int:(\w+)>", lambda m: str(ids.get(m.group(1), ids["unit_id"])), route)
    url = re.sub(r"<\w+:\w+>", "x", url)
    # Open311's regular expressions: a service, a request or a token, in JSON.
    url = re.sub(r"\(\?P<fmt>[^)]*\)", "json", url)
    url = re.sub(r"\(\?P<\w+>[^)]*\)", "x", url)
    return "/" + url.replace("^", "").replace("$", "").replace("\\", "")


@contextmanager
def query_reads() -> Iterator[set[str]]:
    """The names of the query parameters read while the block runs."""
    names: set[str] = set()
    originals = {
        method: getattr(QueryDict, method) for method in ("get", "getlist", "__getitem__", "__contains__")
    }

    def recording(original):
        def read(self, key, *args, **kwargs):
            names.add(key)
            return original(self, key, *args, **kwargs)

        return read

    for method, original in originals.items():
        setattr(QueryDict, method, recording(original))
    try:
        yield names
    finally:
        for method, original in originals.items():
            setattr(QueryDict, method, original)


def _server_errors(client: Client, url: str, read: set[str]) -> list[str]:
    """Each hostile value in every parameter at once, then in each one the page
    reads alone (a page that stops at its first bad parameter never reaches the next)."""
    queries = [dict.fromkeys(read | set(COMMON), value) for value in HOSTILE]
    if len(read) > 1:
        queries += [{name: value} for name in sorted(read) for value in OUT_OF_RANGE]
    found = []
    for query in queries:
        response = client.get(url, query)
        if response.status_code >= 500:
            found.append(f"{url}?{query!r}: {response.status_code}")
    return found


def _areas() -> list[str]:
    return sorted({name.partition(":")[0] if ":" in name else "" for _route, name in _pages()})


@pytest.mark.parametrize("area", _areas())
def test_hostile_values_in_the_query_of_every_page_give_no_server_error(area, records, client_for):
    client = client_for(PERSONAS.get(area, "commander_n1"))
    client.raise_request_exception = False
    failures = []
    for route, name in _pages():
        if (name.partition(":")[0] if ":" in name else "") != area:
            continue
        url = _url(route, records)
        with query_reads() as read:
            first = client.get(url)
        assert first.status_code < 500, url
        failures += _server_errors(client, url, read)
    assert not failures, "\n".join(failures)


def _operations() -> Iterator[tuple[str, str, dict]]:
    schema = ninja_api.get_openapi_schema(path_prefix="/api/v1/")
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            yield method, path, operation


def _fine(parameter: dict, ids: dict[str, int]) -> str:
    """A value the parameter accepts, for the others while one is hostile."""
    name, schema = parameter["name"], parameter.get("schema", {})
    if name in ids:
        return str(ids[name])
    kinds = {option.get("type") for option in schema.get("anyOf", [schema])}
    if "integer" in kinds:
        return str(ids["unit_id"])
    if schema.get("format") == "date":
        return "2024-05-01"
    if "number" in kinds:
        return "42.55"
    return "ab"


def test_hostile_values_in_every_api_parameter_give_no_server_error(records, api):
    client = api("commander_n1")
    client.raise_request_exception = False
    failures, sent = [], 0
    for method, path, operation in _operations():
        parameters = operation.get("parameters", [])
        fine = {p["name"]: _fine(p, records) for p in parameters}
        for parameter in parameters:
            for value in HOSTILE:
                given = {**fine, parameter["name"]: value}
                url = re.sub(r"{(\w+)}", lambda m, given=given: given[m.group(1)], path)
                query = {p["name"]: given[p["name"]] for p in parameters if p["in"] == "query"}
                if method == "get":
                    response = client.get(url, query)
                else:
                    response = client.generic(
                        method.upper(), f"{url}?{urlencode(query)}", "{}", "application/json"
                    )
                sent += 1
                if response.status_code >= 500:
                    failures.append(f"{method.upper()} {url} {query!r}: {response.status_code}")
    assert sent > 100
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize(
    ("query", "status"),
    [
        ({"start_date": "9999-12-31T23:59:59Z"}, 400),
        ({"end_date": "0001-01-01T00:00:00Z"}, 400),
        ({"start_date": "0001-01-01"}, 400),
        ({"end_date": "9999-12-31T23:59:59+14:00"}, 400),
        ({"start_date": "0001-01-01T00:00:00+05:00"}, 400),
        ({"page": str(10**30)}, 400),
        # An offset PostgreSQL refuses, read in UTC; a page size is capped; many ids are many ids.
        ({"start_date": "2024-05-01T00:00:00+21:58"}, 200),
        ({"page_size": str(10**30)}, 200),
        ({"service_request_id": ",".join(["X"] * 500)}, 200),
    ],
)
def test_open311_refuses_dates_and_pages_out_of_range(categories, client, query, status):
    response = client.get("/open311/v2/requests.json", query)
    assert response.status_code == status
    if status == 400:
        assert response.json()[0]["code"] == 400


def test_api_dates_and_offsets_out_of_range_are_refused(records, api):
    client = api("commander_n1", HTTP_ACCEPT_LANGUAGE="en")
    meetings = f"/api/v1/forums/{records['forum_id']}/meetings"
    assert client.get(meetings, {"from": "2024-01-01", "to": "2024-12-31"}).status_code == 200
    for url, query in [
        (meetings, {"from": "0001-01-01"}),
        (meetings, {"to": "9999-12-31"}),
        (meetings, {"offset": 10**30}),
        ("/api/v1/reports", {"month": "0000-01"}),
        ("/api/v1/units", {"offset": 10**30}),
        ("/api/v1/units", {"parent_id": 10**30}),
    ]:
        response = client.get(url, query)
        assert response.status_code == 422, query
        assert response.json()["detail"] == "The request is not valid."
