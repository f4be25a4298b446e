"""Reads of the staff workspace of problems: the places and owners to filter the
list by, the rows of the list's export (no citizen's name), and a problem's team with
its citizens' contacts read through the access log."""

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cpis.accounts.audit import log_personal_data_reads
from cpis.core.http import one_or_404
from cpis.core.i18n import pick
from cpis.organisation.access import Actor
from cpis.organisation.models import Officer, Unit, UnitKind

from ..models import MemberKind, Problem, TeamMember
from .problems import LIST_FIELDS, Filters, can_work, list_places, list_problems, visible_problems

# What a team's citizen is in the access log.
CITIZEN_SUBJECT = "problems.teammember"


# The list's filters offer a national role some 400 places and 1,000 officers on every
# request: they are read as plain values, not as records.


@dataclass(frozen=True)
class PlaceChoice:
    """A place to filter by, named in the reader's language (as Unit.name), with its parent."""

    pk: int
    kind: str
    name: str
    parent: "PlaceChoice | None" = None


@dataclass(frozen=True)
class OwnerChoice:
    """An officer to filter by, as an Officer reads in a choice."""

    pk: int
    full_name: str
    badge_number: str


def list_place_filter_choices(actor: Actor) -> list[PlaceChoice]:
    """The sectors, stations and regions whose problems the actor sees, in tree order."""
    names = ("name_sq", "name_sr", "name_en")
    rows = list_places(actor, "view").values_list(
        "pk", "kind", *names, "parent_id", "parent__kind", *(f"parent__{n}" for n in names)
    )
    return [
        PlaceChoice(
            pk,
            kind,
            pick({"sq": sq, "sr": sr, "en": en}),
            PlaceChoice(parent_id, parent_kind, pick({"sq": p_sq, "sr": p_sr, "en": p_en}))
            if parent_id is not None
            else None,
        )
        for pk, kind, sq, sr, en, parent_id, parent_kind, p_sq, p_sr, p_en in rows
    ]


def list_owner_filter_choices(actor: Actor) -> list[OwnerChoice]:
    """The officers who own a problem the actor sees, to narrow the list to one."""
    owners = visible_problems(actor).exclude(owner=None).values("owner_id")
    rows = (
        Officer.objects.filter(pk__in=owners)
        .order_by("last_name", "first_name", "id")
        .values_list("pk", "first_name", "last_name", "badge_number")
    )
    # As Officer.full_name.
    return [OwnerChoice(pk, f"{first} {last}", badge) for pk, first, last, badge in rows]


EXPORT_HEADER = [
    _("Number"),
    _("Title"),
    _("Stage"),
    _("Outcome"),
    _("Region"),
    _("Station"),
    _("Place"),
    _("Owner"),
    _("Opened on"),
    _("Closed on"),
    _("Categories"),
    _("Open actions"),
    _("Rate ratio"),
    _("WDQ"),
]


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 3)


def export_rows(actor: Actor, filters: Filters) -> Iterator[list[Any]]:
    """The filtered list, one row per problem, as EXPORT_HEADER names them:
    the places by name, the categories in the reader's language, the
    assessment's rate ratio and WDQ when there is one. No citizen's name or
    contact: the team is not exported."""
    names = {
        unit.path: unit.name
        for unit in Unit.objects.filter(kind__in=(UnitKind.REGION, UnitKind.STATION)).only(
            "path", "name_sq", "name_sr", "name_en"
        )
    }
    problems = (
        list_problems(actor, filters)
        .select_related("assessment")
        .only(*LIST_FIELDS, "assessment__rate_ratio", "assessment__wdq")
        .prefetch_related("incident_categories", "concern_categories")
    )
    for problem in problems.iterator(chunk_size=500):
        parts = problem.unit_path.strip("/").split("/")
        assessment = getattr(problem, "assessment", None)
        categories = [c.name for c in problem.incident_categories.all()]
        categories += [c.name for c in problem.concern_categories.all()]
        yield [
            problem.pk,
            problem.title,
            str(problem.get_stage_display()),
            str(problem.get_outcome_display()) if problem.outcome else "",
            names.get("/".join(parts[:2]) + "/", ""),
            names.get("/".join(parts[:3]) + "/", "") if len(parts) >= 3 else "",
            problem.unit.name,
            problem.owner.full_name if problem.owner else "",
            timezone.localdate(problem.created_at),
            timezone.localdate(problem.closed_at) if problem.closed_at else None,
            "; ".join(categories),
            problem.open_actions,  # type: ignore[attr-defined]
            _rounded(assessment.rate_ratio) if assessment else None,
            _rounded(assessment.wdq) if assessment else None,
        ]


def list_team(problem: Problem) -> QuerySet[TeamMember]:
    """Who works the problem beside its owner: officers, partners, forums, citizens."""
    return problem.team.select_related("officer", "partner", "forum").order_by("kind", "id")


def get_team_member(problem: Problem, member_id: int) -> TeamMember:
    """One member of this problem's team; 404 for anyone else's."""
    return one_or_404(list_team(problem), pk=member_id)


def read_citizen_contacts(actor: Actor, problem: Problem, *, request: HttpRequest | None) -> list[TeamMember]:
    """The team's citizens with their phone or e-mail, for those who work the
    problem (403 for anyone else): each one shown is written to the access log,
    and one whose processing is restricted is left out."""
    if not can_work(actor, problem):
        raise PermissionDenied(_("Only those who work the problem see its citizens' contacts."))
    citizens = [m for m in list_team(problem) if m.kind == MemberKind.CITIZEN and m.citizen_contact]
    shown = log_personal_data_reads(
        user_id=actor.user_id,
        subject_type=CITIZEN_SUBJECT,
        subject_ids=[m.pk for m in citizens],
        request=request,
    )
    return [m for m in citizens if str(m.pk) in shown]
