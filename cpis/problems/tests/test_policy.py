"""Who may do what in problem solving: every action for every persona, inside
and outside the persona's places, a row a case; then the register of
vulnerable persons, which no role outside its readers sees in any page or
export of the app, or anywhere in the API."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from cpis.organisation.tests.policy_matrix import policy_matrix_test
from cpis.problems.policy import policy

from .vulnerable_entries import DETAILS, NAME, record

ACTIONS = ("view", "open", "lead", "agree_priorities", "publish", "vulnerable_read", "vulnerable_record")
EVERYTHING = frozenset(ACTIONS)

# persona: (a place inside its places, a place outside them — or another inside for who
# holds the root —, what it may do inside).
SPEC: dict[str, tuple[str, str, frozenset[str]]] = {
    "officer_n1a": ("n1a", "n1b", frozenset({"view", "open"})),
    # The sector leader leads and keeps the register in the sector, not at the station above.
    "leader_n1a": (
        "n1a",
        "n1",
        frozenset({"view", "open", "lead", "agree_priorities", "vulnerable_read", "vulnerable_record"}),
    ),
    # The station's coordinator leads problem solving but never sees the register.
    "coordinator_n1": ("n1a", "s1a", frozenset({"view", "open", "lead", "agree_priorities", "publish"})),
    "commander_n1": ("n1b", "s1a", EVERYTHING),
    "commander_s1": ("s1a", "n1a", EVERYTHING),
    # The regional director reads the register of the region (chain of command) but records nothing.
    "director_north": ("n1a", "s1a", EVERYTHING - {"vulnerable_record"}),
    "directorate": ("n1a", "s1a", frozenset({"view", "open", "lead", "agree_priorities", "publish"})),
    "strategy_coordinator": ("n1a", "s1a", frozenset({"view"})),
    "standards": ("n1a", "s1a", frozenset()),
    "admin": ("n1a", "s1a", frozenset({"view", "open", "lead", "agree_priorities", "publish"})),
    "safeguarding_n1": ("n1a", "s1a", frozenset({"view", "open", "vulnerable_read", "vulnerable_record"})),
    "no_role": ("n1a", "s1a", frozenset()),
    "citizen": ("n1a", "s1a", frozenset()),
}
# Who holds a role at the root has no place outside: its second place is inside too.
NATIONAL = {"directorate", "strategy_coordinator", "standards", "admin"}

MATRIX = [
    (persona, action, place, action in allowed and (place == inside or persona in NATIONAL))
    for persona, (inside, outside, allowed) in SPEC.items()
    for action in ACTIONS
    for place in (inside, outside)
]


test_policy_matrix = policy_matrix_test(policy, MATRIX)


def test_the_matrix_covers_every_action_of_the_policy():
    assert set(ACTIONS) == set(policy.rules)


# --- the register of vulnerable persons, everywhere in the app ---------------

OUTSIDERS = ["coordinator_n1", "directorate", "strategy_coordinator", "admin", "standards"]


def _routes(patterns, prefix=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from _routes(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern)


def _pages_without_a_record():
    """The app's pages that take no record's number (lists, exports, forms),
    with every file format an export offers."""
    for route in _routes(get_resolver().url_patterns):
        if not route.startswith("staff/problems/") or "<int:" in route:
            continue
        formats = ("csv", "xlsx") if "<str:fmt>" in route else ("",)
        for fmt in formats:
            yield "/" + route.replace("<str:fmt>", fmt)


def _api_lists(client) -> list[str]:
    """Every API endpoint that takes no record's number and answers a GET (the
    problems app's among them, once it has an API)."""
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    return [path for path, operations in paths.items() if "{" not in path and "get" in operations]


@pytest.mark.parametrize("who", OUTSIDERS)
def test_no_page_export_or_api_of_the_app_shows_an_entry_to_the_roles_it_is_not_for(
    tree, actor_for, officer_n1a, client_for, api, who
):
    entry = record(actor_for("commander_n1"), unit=tree.n1a, officer=officer_n1a)
    pages = list(_pages_without_a_record())
    assert "/staff/problems/vulnerable/" in pages and "/staff/problems/vulnerable/export.xlsx" in pages
    client = client_for(who)
    for url in pages:
        response = client.get(url)
        body = response.content.decode("utf-8", "replace")
        assert NAME not in body and DETAILS not in body, url
        if url.startswith("/staff/problems/vulnerable/"):
            assert response.status_code in {403, 404}, url
    for url in ("/staff/problems/vulnerable/", f"/staff/problems/vulnerable/{entry.pk}/"):
        assert client.get(url).status_code in {403, 404}
    caller = api(who)
    lists = _api_lists(caller)
    assert len(lists) > 10
    for url in lists:
        response = caller.get(url)
        assert NAME.encode() not in response.content and DETAILS.encode() not in response.content, url


def test_even_the_registers_readers_see_no_name_in_a_list_or_export(tree, actor_for, officer_n1a, client_for):
    record(actor_for("commander_n1"), unit=tree.n1a, officer=officer_n1a)
    for who in ("commander_n1", "director_north", "safeguarding_n1", "leader_n1a"):
        client = client_for(who)
        for url in _pages_without_a_record():
            response = client.get(url)
            assert NAME.encode() not in response.content, (who, url)
            assert DETAILS.encode() not in response.content, (who, url)
