"""PlacePolicy's "somewhere" answers, used by pages and records with no place
of their own (a national catalogue, a "new" form whose place is chosen on it)."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest

from cpis.organisation.access import ALL_ROLES, POLICING_ROLES, Actor, PlacePolicy, api_actor
from cpis.organisation.models import Role

POLICY = PlacePolicy(
    rules={
        "view": POLICING_ROLES,
        "manage": frozenset({Role.STATION_COMMANDER, Role.DIRECTORATE}),
        "national": frozenset({Role.DIRECTORATE}),
    },
    see_roles=POLICING_ROLES,
)


def test_policing_roles_are_every_role_but_professional_standards_and_data_protection():
    assert {Role.PROFESSIONAL_STANDARDS, Role.DATA_PROTECTION_OFFICER} == ALL_ROLES - POLICING_ROLES


def test_places_are_the_top_most_paths_where_the_action_is_allowed(tree, actor_for):
    assert POLICY.places(actor_for("commander_n1"), "manage") == [tree.n1.path]
    assert POLICY.places(actor_for("officer_n1a"), "manage") == []
    assert POLICY.places(actor_for("directorate"), "view") == [tree.root.path]


def test_anywhere_is_true_for_a_role_held_somewhere_and_for_the_system(tree, actor_for):
    assert POLICY.anywhere(actor_for("commander_n1"), "manage")
    assert not POLICY.anywhere(actor_for("officer_n1a"), "manage")
    assert not POLICY.anywhere(actor_for("standards"), "view")
    assert not POLICY.anywhere(Actor.anonymous(), "view")
    assert POLICY.anywhere(Actor.system(), "national")


def test_require_anywhere_is_404_for_who_sees_nothing_and_403_for_who_sees_something(tree, actor_for):
    POLICY.require_anywhere(actor_for("commander_n1"), "manage")
    with pytest.raises(PermissionDenied):
        POLICY.require_anywhere(actor_for("officer_n1a"), "manage")
    with pytest.raises(Http404):
        POLICY.require_anywhere(actor_for("standards"), "manage")
    with pytest.raises(Http404):
        POLICY.require_anywhere(actor_for("citizen"), "view")


def test_require_anywhere_at_a_place_checks_that_place(tree, actor_for):
    POLICY.require_anywhere(actor_for("directorate"), "national", at=tree.root.path)
    # A commander manages at the station, not at the root: the root's record is not theirs.
    with pytest.raises(PermissionDenied):
        POLICY.require_anywhere(actor_for("commander_n1"), "manage", at=tree.root.path)
    with pytest.raises(Http404):
        POLICY.require_anywhere(actor_for("no_role"), "national", at=tree.root.path)


def test_api_actor_is_who_the_api_accepted_not_the_session_user(tree, persona):
    request = HttpRequest()
    request.user = persona("commander_n1")  # a session the API's CSRF check refused
    assert not api_actor(request).is_authenticated
    request.auth = persona("commander_n1")  # type: ignore[attr-defined]
    assert api_actor(request).user_id == persona("commander_n1").pk
