"""JSON API for the monthly forum and partner reports: the reports of the
caller's places, those waiting for the caller's review, one report with its
whole history, and the review decision through the same service as the page."""

from datetime import date, datetime
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from pydantic import field_validator

from cpis.accounts.api_auth import STAFF
from cpis.core.api import Page, PageQuery, page_of
from cpis.core.periods import check_year
from cpis.organisation import selectors as organisation
from cpis.organisation.access import Actor, api_actor

from . import selectors, services
from .figures import LABELS
from .models import Report, Review, Revision, Status
from .policy import may_review

router = Router(tags=["reports"])


MONTH = "First day of the month reported on"


class ReportFields(Schema):
    id: int
    unit_id: int
    unit_name: str
    month: date = Field(description=MONTH)
    period_end: date
    status: str
    status_label: str
    stage: str = Field(description="Who must act next")
    stage_label: str
    version: int = Field(description="Versions submitted so far")
    author: str | None = Field(description="Username of who last wrote it")
    submitted_at: datetime | None
    approved_at: datetime | None


class ReportOut(ReportFields):
    # The fields read from the record (ReportDetailOut reads them from a dict).
    unit_name: str = Field(alias="unit.name")
    month: date = Field(alias="period_start", description=MONTH)
    status_label: str = Field(alias="get_status_display")
    stage_label: str = Field(alias="get_stage_display")

    @staticmethod
    def resolve_author(obj: Report) -> str | None:
        return obj.author.get_username() if obj.author else None


class ReportPage(Page[ReportOut]):
    pass


class ReportFilters(Schema):
    month: str | None = Field(None, pattern=r"^\d{4}-(0[1-9]|1[0-2])$", description="YYYY-MM")
    unit_id: int | None = Field(None, description="Only reports of sectors at or under this unit")
    status: Status | None = None

    @field_validator("month")
    @classmethod
    def month_within_years(cls, month: str | None) -> str | None:
        if month is not None:
            check_year(int(month[:4]))
        return month


class ReportQuery(PageQuery, ReportFilters):
    pass


class ReportFigureOut(Schema):
    key: str
    label: str
    value: int


class ReportRevisionOut(Schema):
    version: int
    submitted_by: str | None
    submitted_at: datetime
    content: dict[str, Any] = Field(description="Figures and texts as submitted")

    @staticmethod
    def resolve_submitted_by(obj: Revision) -> str | None:
        return obj.submitted_by.get_username() if obj.submitted_by else None


class ReportReviewOut(Schema):
    version: int
    stage: str
    decision: str
    comment: str
    reviewer: str | None
    at: datetime

    @staticmethod
    def resolve_reviewer(obj: Review) -> str | None:
        return obj.reviewer.get_username() if obj.reviewer else None


class ReportDetailOut(ReportFields):
    figures: list[ReportFigureOut]
    issues: str
    actions: str
    needs: str
    remarks: str
    may_review: bool = Field(description="The report waits at a stage the caller reviews")
    revisions: list[ReportRevisionOut]
    reviews: list[ReportReviewOut]


class ReportReviewIn(Schema):
    decision: str = Field(..., max_length=20, description="approved or returned")
    comment: str = Field("", description="Required when returning: why")
    version: int = Field(..., description="The version the reviewer read")
    stage: str = Field(..., max_length=30, description="The stage the report was at when read")


def _detail(actor: Actor, report: Report) -> dict[str, Any]:
    history = selectors.list_history(report)
    return {
        **ReportOut.from_orm(report).dict(),
        "figures": [
            {"key": key, "label": str(LABELS.get(key, key)), "value": int(value)}
            for key, value in report.figures.items()
        ],
        "issues": report.issues,
        "actions": report.actions,
        "needs": report.needs,
        "remarks": report.remarks,
        "may_review": report.status == Status.SUBMITTED and may_review(actor, report.stage, report.unit_path),
        "revisions": list(history["revisions"]),
        "reviews": list(history["reviews"]),
    }


@router.get("", response=ReportPage, auth=STAFF, url_name="reports")
def list_reports(request: HttpRequest, query: Query[ReportQuery]) -> Any:
    """Reports of the sectors under the caller's places, the latest month
    first. A unit outside the caller's places answers 404."""
    actor = api_actor(request)
    unit = organisation.get_unit(actor, query.unit_id) if query.unit_id else None
    month = date(int(query.month[:4]), int(query.month[5:7]), 1) if query.month else None
    reports = selectors.filter_reports(
        actor, unit_path=unit.path if unit else "", month=month, status=query.status or ""
    )
    return page_of(reports, query)


@router.get("/waiting", response=list[ReportOut], auth=STAFF, url_name="reports_waiting")
def list_waiting(request: HttpRequest) -> Any:
    """Reports waiting for the caller's review, the longest waiting first."""
    return selectors.list_waiting_with_authors(api_actor(request))


@router.get("/{report_id}", response=ReportDetailOut, auth=STAFF, url_name="report")
def get_report(request: HttpRequest, report_id: int) -> Any:
    """One report with its figures, texts, every submitted version and every
    decision (with the reviewers' usernames)."""
    actor = api_actor(request)
    return _detail(actor, selectors.get_report(actor, report_id))


@router.post("/{report_id}/review", response=ReportDetailOut, auth=STAFF, url_name="report_review")
def review(request: HttpRequest, report_id: int, payload: ReportReviewIn) -> Any:
    """Approve (on to the next level) or return (to the author, with the
    reason) the version and stage the reviewer read. Someone else deciding
    first, or a report not waiting for the caller, answers 409; a missing
    reason or an unknown decision 400; nothing changes then."""
    actor = api_actor(request)
    report = services.review_report(
        actor,
        report=selectors.get_report(actor, report_id),
        decision=payload.decision,
        comment=payload.comment,
        version=payload.version,
        stage=payload.stage,
    )
    return _detail(actor, selectors.get_report(actor, report.pk))
