"""Reads of the public summaries of solved problems [3.2.5]: the staff side
(a problem's summary, who may write and review it) and the public side — only
summaries a second person approved, of problems closed as solved or reduced,
in the reader's language, with no names of who wrote or reviewed them."""

from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import translation

from cpis.core.http import one_or_404
from cpis.core.i18n import to_serbian_latin
from cpis.organisation.access import Actor
from cpis.organisation.models import Unit, UnitKind

from ..models import EFFECT_OUTCOMES, Change, Problem, PublicSummary, Stage, SummaryStatus
from ..policy import policy
from .problems import can_work

# What a summary's history lines are called in the problem's history.
SAVED, SUBMITTED, PUBLISHED, RETURNED, WITHDRAWN = (
    "summary_saved",
    "summary_submitted",
    "summary_published",
    "summary_returned",
    "summary_withdrawn",
)

TEXT_FIELDS = ("title_sq", "title_sr", "title_en", "body_sq", "body_sr", "body_en")


def may_publish_problem(problem: Problem) -> bool:
    """A summary is written only for a problem closed as solved or reduced."""
    return problem.stage == Stage.CLOSED and problem.outcome in EFFECT_OUTCOMES


def get_summary(problem: Problem) -> PublicSummary | None:
    """The problem's summary, if one was written (the caller has the problem
    through `problems.get_problem`, so the actor may see it)."""
    return PublicSummary.objects.filter(problem=problem).select_related("written_by", "reviewed_by").first()


def authors(summary: PublicSummary) -> set[int]:
    """Everyone who wrote, changed or submitted the summary: none of them may approve it."""
    ids = set(
        Change.objects.filter(problem_id=summary.problem_id, what__in=(SAVED, SUBMITTED))
        .exclude(by=None)
        .values_list("by_id", flat=True)
    )
    if summary.written_by_id is not None:
        ids.add(summary.written_by_id)
    return ids


@dataclass(frozen=True)
class SummaryRights:
    """What the actor may do with a problem's summary (the services check again)."""

    write: bool  # write or change it, submit it
    review: bool  # approve it or return it (not its own)
    withdraw: bool


def summary_rights(actor: Actor, problem: Problem, summary: PublicSummary | None) -> SummaryRights:
    allowed = may_publish_problem(problem)
    status = summary.status if summary else SummaryStatus.DRAFT
    reviewer = policy.can(actor, "publish", problem.unit_path)
    return SummaryRights(
        write=allowed
        and status in (SummaryStatus.DRAFT, SummaryStatus.WITHDRAWN)
        and can_work(actor, problem),
        review=allowed
        and summary is not None
        and status == SummaryStatus.SUBMITTED
        and reviewer
        and actor.user_id not in authors(summary),
        withdraw=summary is not None
        and status in (SummaryStatus.PUBLISHED, SummaryStatus.SUBMITTED)
        and (reviewer or (status == SummaryStatus.SUBMITTED and can_work(actor, problem))),
    )


def list_summary_changes(problem: Problem) -> QuerySet[Change]:
    return (
        Change.objects.filter(problem=problem, what__startswith="summary_")
        .select_related("by")
        .order_by("at", "id")
    )


# --- the public side ------------------------------------------------------------------

PUBLIC_FIELDS = (
    "pk",
    "title_sq",
    "title_sr",
    "title_en",
    "body_sq",
    "body_sr",
    "body_en",
    "published_at",
    "updated_at",
    "problem__outcome",
    "problem__unit_path",
    "problem__unit__name_sq",
    "problem__unit__name_sr",
    "problem__unit__name_en",
    "problem__unit__kind",
)


def published() -> QuerySet[PublicSummary]:
    """Summaries a second person approved, of problems still closed as solved
    or reduced (a problem reopened since leaves the public pages)."""
    return PublicSummary.objects.filter(
        status=SummaryStatus.PUBLISHED,
        published_at__isnull=False,
        reviewed_by__isnull=False,
        problem__stage=Stage.CLOSED,
        problem__outcome__in=EFFECT_OUTCOMES,
    )


def list_published(*, place: Unit | None = None) -> QuerySet[PublicSummary]:
    """Published summaries, newest first; of a place (a region, a station or a
    sector: the problems at it and below) when given."""
    rows = published()
    if place is not None:
        rows = rows.filter(problem__unit_path__startswith=place.path)
    return (
        rows.select_related("problem", "problem__unit").only(*PUBLIC_FIELDS).order_by("-published_at", "-pk")
    )


def get_published(summary_id: int) -> PublicSummary:
    """One published summary; 404 for any other."""
    return one_or_404(
        published().select_related("problem", "problem__unit", "problem__unit__parent"),
        pk=summary_id,
    )


def list_public_places() -> QuerySet[Unit]:
    """Regions and stations with published summaries: the public list's filter."""
    paths = set(published().values_list("problem__unit_path", flat=True))
    wanted: set[str] = set()
    for path in paths:
        parts = path.strip("/").split("/")
        wanted.update("/".join(parts[:depth]) + "/" for depth in (2, 3) if len(parts) >= depth)
    return Unit.objects.filter(path__in=wanted, kind__in=(UnitKind.REGION, UnitKind.STATION)).order_by("path")


def get_public_place(unit_id: int | None) -> Unit | None:
    """A region, station or sector to filter the public list by (None for any other id)."""
    if unit_id is None:
        return None
    kinds = (UnitKind.REGION, UnitKind.STATION, UnitKind.SUBSTATION, UnitKind.SECTOR)
    return Unit.objects.filter(pk=unit_id, kind__in=kinds).first()


@dataclass(frozen=True)
class PublicText:
    """A summary in one language, and that language (for the page's `lang`)."""

    title: str
    body: str
    language: str


def in_language(summary: PublicSummary, language: str | None = None) -> PublicText:
    """The summary in the reader's language: Albanian; Serbian in Cyrillic, or
    in Latin generated from the Cyrillic; English when it was written, else Albanian."""
    language = (language or translation.get_language() or "sq").lower()
    if language == "sr":
        return PublicText(summary.title_sr, summary.body_sr, "sr")
    if language == "sr-latn":
        return PublicText(to_serbian_latin(summary.title_sr), to_serbian_latin(summary.body_sr), "sr-latn")
    if language == "en" and summary.title_en and summary.body_en:
        return PublicText(summary.title_en, summary.body_en, "en")
    return PublicText(summary.title_sq, summary.body_sq, "sq")
