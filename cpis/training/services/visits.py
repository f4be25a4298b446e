"""Study visits: participants and the visit report."""

from dataclasses import replace
from datetime import date
from pathlib import PurePath

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from cpis.core import uploads
from cpis.core.text import clean_text
from cpis.core.uploads import Upload
from cpis.organisation.access import Actor

from .. import selectors
from ..models import (
    StudyVisit,
)
from .checks import check_span, require_national
from .courses import _officers_by_badge


def _visit_fields(
    *, country: str, city: str, starts_on: date, ends_on: date, purpose: str, feedback: str
) -> dict[str, object]:
    check_span(starts_on, ends_on, max_days=90)
    return {
        "country": clean_text(country, limit=100, required=True, missing=_("Name the country visited.")),
        "city": clean_text(city, limit=100, required=False),
        "starts_on": starts_on,
        "ends_on": ends_on,
        "purpose": clean_text(
            purpose, limit=4000, required=True, missing=_("Describe the purpose of the visit.")
        ),
        "feedback": clean_text(feedback, limit=8000, required=False),
    }


@transaction.atomic
def create_visit(
    actor: Actor,
    *,
    country: str,
    city: str = "",
    starts_on: date,
    ends_on: date,
    purpose: str,
    feedback: str = "",
) -> StudyVisit:
    """A study visit to a country that applies community policing [1.3.10].
    National roles only."""
    require_national(actor)
    fields = _visit_fields(
        country=country, city=city, starts_on=starts_on, ends_on=ends_on, purpose=purpose, feedback=feedback
    )
    return StudyVisit.objects.create(**fields, created_by_id=actor.user_id)


@transaction.atomic
def update_visit(
    actor: Actor,
    *,
    visit: StudyVisit,
    country: str,
    city: str = "",
    starts_on: date,
    ends_on: date,
    purpose: str,
    feedback: str = "",
) -> StudyVisit:
    """Change a visit, including the feedback given to officers afterwards."""
    require_national(actor)
    fields = _visit_fields(
        country=country, city=city, starts_on=starts_on, ends_on=ends_on, purpose=purpose, feedback=feedback
    )
    for field, value in fields.items():
        setattr(visit, field, value)
    visit.save()
    return visit


@transaction.atomic
def add_visit_participants(actor: Actor, *, visit: StudyVisit, badge_numbers: list[str]) -> int:
    """Add officers in service to a visit by badge number, all or none. National roles only."""
    require_national(actor)
    officers = _officers_by_badge(badge_numbers, under=selectors.root_path())
    before = visit.participants.count()
    visit.participants.add(*officers)
    return visit.participants.count() - before


@transaction.atomic
def remove_visit_participant(actor: Actor, *, visit: StudyVisit, officer_id: int) -> None:
    """Take an officer off a visit. National roles only."""
    require_national(actor)
    visit.participants.remove(officer_id)


def check_report(upload: Upload) -> Upload:
    """A PDF by its first bytes, not by its name, and at most 10 MB."""
    upload = uploads.check_size(replace(upload, name=uploads.base_name(upload.name, "report.pdf")))
    upload = uploads.check_content(
        upload, uploads.PDF, wrong=_("%(name)s is not a PDF file. Upload the report as PDF.")
    )
    if upload.suffix != ".pdf":
        upload = replace(upload, name=f"{PurePath(upload.name).stem or 'report'}.pdf")
    return upload


@transaction.atomic
def upload_visit_report(actor: Actor, *, visit: StudyVisit, upload: Upload) -> StudyVisit:
    """Attach (or replace) the visit's report. PDF only, checked by content."""
    require_national(actor)
    report = check_report(upload)
    name, data = report.name, report.data
    visit = StudyVisit.objects.select_for_update().get(pk=visit.pk)
    old = visit.report.name if visit.report else ""
    visit.report.save(name, ContentFile(data), save=False)
    visit.report_name, visit.report_size = name, len(data)
    visit.save(update_fields=["report", "report_name", "report_size"])
    if old and old != visit.report.name:
        storage = visit.report.storage
        transaction.on_commit(lambda: storage.delete(old))
    return visit
