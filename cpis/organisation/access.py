"""Who is acting, and where. An `Actor` is built once per request from the
user's role grants; a role held at a unit covers the unit's subtree.
`PlacePolicy` turns an app's action → roles map into checks and query
filters; each app's policy.py holds one."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _

from cpis.core.http import OutsidePlace

from .models import Role, RoleGrant


@dataclass(frozen=True)
class Actor:
    user_id: int | None = None
    grants: tuple[tuple[str, str], ...] = ()  # (role, unit path)
    is_system: bool = False
    username: str = ""

    @classmethod
    def anonymous(cls) -> "Actor":
        return cls()

    @classmethod
    def system(cls) -> "Actor":
        """For tasks and commands: may do everything, everywhere."""
        return cls(is_system=True, username="system")

    @classmethod
    def for_user(cls, user: Any) -> "Actor":
        if user is None or not user.is_authenticated or not user.is_active:
            return cls.anonymous()
        grants = tuple(
            RoleGrant.objects.filter(user_id=user.pk)
            .order_by("unit__path", "role")
            .values_list("role", "unit__path")
        )
        return cls(user_id=user.pk, grants=grants, username=user.get_username())

    @property
    def is_authenticated(self) -> bool:
        return self.user_id is not None or self.is_system

    @property
    def is_staff(self) -> bool:
        """Holds any role anywhere (or is the system)."""
        return self.is_system or bool(self.grants)

    @property
    def roles(self) -> set[str]:
        return {role for role, _path in self.grants}

    def holds(self, roles: Iterable[str], path: str) -> bool:
        """Holds one of `roles` at `path` or at one of its ancestors."""
        if self.is_system:
            return True
        wanted = set(roles)
        return any(role in wanted and path.startswith(grant) for role, grant in self.grants)

    def paths(self, roles: Iterable[str]) -> list[str]:
        """The top-most unit paths where the actor holds one of `roles`."""
        wanted = set(roles)
        found = sorted({grant for role, grant in self.grants if role in wanted})
        tops: list[str] = []
        for path in found:
            if not any(path.startswith(top) for top in tops):
                tops.append(path)
        return tops


ALL_ROLES = frozenset(Role.values)
# Every role but professional standards, who deal with complaints and nothing else, and
# the data-protection officer, who audits reads and answers data-subject requests: the
# roles that see policing records (concerns, forums, partners, the plan, analyses...).
POLICING_ROLES = ALL_ROLES - {Role.PROFESSIONAL_STANDARDS, Role.DATA_PROTECTION_OFFICER}
# The station's community-policing coordinator and commander and those above them: the roles
# that correct, assign and review anything at their places in most apps.
STATION_LEADS = frozenset(
    {
        Role.STATION_COORDINATOR,
        Role.STATION_COMMANDER,
        Role.REGIONAL_COORDINATOR,
        Role.REGIONAL_DIRECTOR,
        Role.DIRECTORATE,
        Role.SYSTEM_ADMIN,
    }
)


@dataclass(frozen=True)
class PlacePolicy:
    """An action → roles map over the unit tree.

    `can` answers for one place; `require` raises 404 when the actor may not
    even see the place (so "not yours" and "does not exist" look alike) and
    403 when it may see it but not do the action; `scope` is a Q over a path
    field that fails closed.
    """

    rules: Mapping[str, frozenset[str]]
    see_roles: frozenset[str] = field(default=ALL_ROLES)

    def roles_for(self, action: str) -> frozenset[str]:
        return self.rules[action]

    def can(self, actor: Actor, action: str, path: str) -> bool:
        return actor.holds(self.roles_for(action), path)

    def require(self, actor: Actor, action: str, path: str) -> None:
        if self.can(actor, action, path):
            return
        if not actor.holds(self.see_roles, path):
            raise OutsidePlace("organisation.unit", path)
        raise PermissionDenied(_("You may not do this here."))

    def places(self, actor: Actor, action: str) -> list[str]:
        """The top-most unit paths where the actor may do `action` (none for the
        system, which needs no place: ask `anywhere`)."""
        return actor.paths(self.roles_for(action))

    def anywhere(self, actor: Actor, action: str) -> bool:
        """May the actor do `action` at some place at all?"""
        return actor.is_system or bool(self.places(actor, action))

    def sees_anything(self, actor: Actor) -> bool:
        return actor.is_system or bool(actor.paths(self.see_roles))

    def require_anywhere(self, actor: Actor, action: str, *, at: str | None = None) -> None:
        """For pages and records with no place of their own (a national catalogue,
        a "new" form whose place is chosen on it): the action somewhere, or at `at`
        when given (the root, for national records). 404 when the actor can see
        nothing here at all, 403 when it sees something but may not do this."""
        allowed = self.can(actor, action, at) if at is not None else self.anywhere(actor, action)
        if allowed:
            return
        if not self.sees_anything(actor):
            raise Http404(_("Not found."))
        raise PermissionDenied(_("You may not do this here."))

    def scope(self, actor: Actor, action: str, field_name: str = "path") -> Q:
        if actor.is_system:
            return Q()
        paths = actor.paths(self.roles_for(action))
        if not paths:
            return Q(pk__in=[])
        query = Q()
        for path in paths:
            query |= Q(**{f"{field_name}__startswith": path})
        return query


class ActorRequest(HttpRequest):
    """A request as the staff views see it: `ActorMiddleware` has set `actor`."""

    actor: Actor


def api_actor(request: HttpRequest) -> Actor:
    """The actor of a JSON API call: whoever the API's authentication accepted
    (a token, or a session that passed CSRF), never the bare session user."""
    return Actor.for_user(getattr(request, "auth", None))


def staff_required(view: Any) -> Any:
    """Signed-in staff only: anonymous users go to the login page, users who
    hold no role anywhere get 404. Finer checks are the policy's, in the
    selectors and services the view calls."""
    from functools import wraps

    from django.contrib.auth.views import redirect_to_login

    from cpis.core.views import mark_guarded

    @wraps(view)
    def wrapper(request: Any, *args: Any, **kwargs: Any) -> Any:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not request.actor.is_staff:
            raise Http404(_("Not found."))
        return view(request, *args, **kwargs)

    return mark_guarded(wrapper, "staff")
