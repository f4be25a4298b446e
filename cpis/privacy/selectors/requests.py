"""Reads for data-subject requests, for the data-protection officer only: the
requests, one request with its steps, the kinds of record that hold people
(every app's `personal_data` module), and what the latest search found,
told without personal data."""

from dataclasses import dataclass

from django.db.models import QuerySet

from cpis.accounts.audit import restricted_among
from cpis.core import registry
from cpis.core.http import one_or_404
from cpis.core.subjects import Hit, Kind, Terms, matched_text
from cpis.organisation.access import Actor
from cpis.organisation.selectors import get_root_unit

from ..models import RequestStatus, StepKind, SubjectRequest, SubjectRequestStep
from ..policy import policy

ACTION = "answer_requests"


def require_officer(actor: Actor) -> None:
    """The data-protection officer, who holds the role nationally; 404 for
    anyone else."""
    policy.require_anywhere(actor, ACTION, at=get_root_unit().path)


def kinds() -> list[Kind]:
    """Every kind of record that holds people, lower apps first."""
    return [kind for module in registry.personal_data_modules() for kind in module.KINDS]


def kind_for(subject_type: str) -> Kind | None:
    return next((kind for kind in kinds() if kind.subject_type == subject_type), None)


def list_open_requests(actor: Actor) -> QuerySet[SubjectRequest]:
    """Open requests, the first due first."""
    require_officer(actor)
    return SubjectRequest.objects.open().select_related("handled_by").order_by("due_by", "id")


def list_closed_requests(actor: Actor, *, limit: int = 200) -> QuerySet[SubjectRequest]:
    """The latest answered or refused requests."""
    require_officer(actor)
    closed = SubjectRequest.objects.exclude(status=RequestStatus.OPEN).select_related("handled_by")
    return closed.order_by("-closed_at", "-id")[:limit]


def get_request(actor: Actor, request_id: int) -> SubjectRequest:
    require_officer(actor)
    return one_or_404(SubjectRequest.objects.select_related("handled_by"), pk=request_id)


def list_steps(subject_request: SubjectRequest) -> QuerySet[SubjectRequestStep]:
    return subject_request.steps.select_related("by").order_by("at", "id")


def terms_of(subject_request: SubjectRequest) -> Terms:
    """What the person is known by, one per line of the request."""
    return Terms.of(
        names=subject_request.names.splitlines(),
        emails=subject_request.emails.splitlines(),
        phones=subject_request.phones.splitlines(),
    )


def latest_search(subject_request: SubjectRequest) -> SubjectRequestStep | None:
    return subject_request.steps.filter(kind=StepKind.SEARCH).order_by("-at", "-id").first()


def found_records(step: SubjectRequestStep | None) -> list[tuple[str, str, tuple[str, ...]]]:
    """(record type, id, what matched) of each record a search found."""
    if step is None:
        return []
    return [(r["type"], r["id"], tuple(r.get("matched", ()))) for r in step.hits.get("records", [])]


@dataclass(frozen=True)
class FoundRecord:
    """A record the latest search found, as the officer sees it before
    looking at its data: what it is (None once it is no longer held), what
    matched, and whether it is restricted or was erased under this request."""

    id: str
    hit: Hit | None
    matched: tuple[str, ...]
    restricted: bool
    erased: bool

    @property
    def matched_text(self) -> str:
        return matched_text(self.matched)


@dataclass(frozen=True)
class FoundGroup:
    kind: Kind
    records: list[FoundRecord]
    more: bool  # more were found than the search keeps: it needs narrowing


def found_groups(subject_request: SubjectRequest) -> list[FoundGroup]:
    """What the latest search found, grouped by kind of record."""
    step = latest_search(subject_request)
    if step is None:
        return []
    records = found_records(step)
    more = set(step.hits.get("more", []))
    erased = set(subject_request.steps.filter(kind=StepKind.ERASED).values_list("subject_type", "subject_id"))
    groups = []
    for kind in kinds():
        ids = [
            (record_id, matched)
            for subject_type, record_id, matched in records
            if subject_type == kind.subject_type
        ]
        if not ids and kind.subject_type not in more:
            continue
        described = kind.describe([record_id for record_id, _matched in ids])
        restricted = restricted_among(kind.subject_type, [record_id for record_id, _matched in ids])
        groups.append(
            FoundGroup(
                kind,
                [
                    FoundRecord(
                        record_id,
                        described.get(record_id),
                        matched,
                        record_id in restricted,
                        (kind.subject_type, record_id) in erased,
                    )
                    for record_id, matched in ids
                ],
                kind.subject_type in more,
            )
        )
    return groups
