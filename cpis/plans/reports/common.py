"""What both report files share: reading the frozen snapshot in the reader's
language (reference texts translated, people's texts as written, Kosovo dates)
and one colour per status, so that a reader who knows one report reads the other."""

from collections.abc import Mapping
from datetime import UTC, date, datetime
from typing import Any

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from cpis.core.i18n import pick, to_serbian_latin
from cpis.plans.models import IndicatorUnit, ProgressStatus

Snapshot = Mapping[str, Any]
Texts = Mapping[str, str]

STATUS_COLOURS = {
    ProgressStatus.NOT_STARTED.value: "#9e9e9e",
    ProgressStatus.IN_PROGRESS.value: "#1f77b4",
    ProgressStatus.DONE.value: "#2ca02c",
    ProgressStatus.DELAYED.value: "#ff7f0e",
    ProgressStatus.CANCELLED.value: "#8b1a1a",
}


def language_text(values: Texts | None) -> str:
    """A translated reference text in the active language (Serbian Latin from Cyrillic)."""
    return pick(values or {})


def as_written(text: str | None) -> str:
    """A text stored as written (narratives, names): only Serbian Latin readers
    get it transliterated, since sr-latn is derived from Cyrillic everywhere."""
    text = text or ""
    if (translation.get_language() or "").lower() == "sr-latn":
        return to_serbian_latin(text)
    return text


def parse_date(value: str | None) -> date | None:
    return date.fromisoformat(value[:10]) if value else None


def parse_datetime(value: str | None) -> datetime | None:
    """Local time of the deployment (Kosovo), as everywhere else in CPIS; the
    snapshot stores UTC."""
    if not value:
        return None
    moment = datetime.fromisoformat(value)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return timezone.localtime(moment)


def format_date(value: str | date | None) -> str:
    """dd.mm.yyyy in every language: the form used on paper in Kosovo."""
    if isinstance(value, str):
        value = parse_date(value)
    return value.strftime("%d.%m.%Y") if value else ""


def format_datetime(value: str | None) -> str:
    moment = parse_datetime(value)
    return moment.strftime("%d.%m.%Y %H:%M") if moment else ""


def status_label(status: str) -> str:
    return str(dict(ProgressStatus.choices).get(status, status))


def unit_label(unit: str) -> str:
    return str(dict(IndicatorUnit.choices).get(unit, unit))


def is_signed(evaluation: Mapping[str, Any]) -> bool:
    return bool(evaluation.get("signed_at"))


def place_line(evaluation: Mapping[str, Any]) -> str:
    """The place evaluated: the country, or a region."""
    place = evaluation.get("place") or {}
    name = language_text(place.get("name"))
    if place.get("national"):
        return _("Place evaluated: %(place)s (national evaluation)") % {"place": name}
    return _("Place evaluated: %(place)s") % {"place": name}


def frozen_line(evaluation: Mapping[str, Any]) -> str:
    when = format_datetime(evaluation.get("frozen_at"))
    if evaluation.get("frozen_by"):
        return _("Frozen on %(date)s by %(name)s") % {
            "date": when,
            "name": as_written(evaluation["frozen_by"]),
        }
    return _("Frozen on %(date)s") % {"date": when}


def signed_line(evaluation: Mapping[str, Any]) -> str:
    """The sign-off state in words; a draft says so plainly, since a draft
    printed and handed on must not be mistaken for the signed report."""
    if not is_signed(evaluation):
        return _("Not signed off — draft")
    when = format_datetime(evaluation.get("signed_at"))
    if evaluation.get("signed_by"):
        return _("Signed off on %(date)s by %(name)s") % {
            "date": when,
            "name": as_written(evaluation["signed_by"]),
        }
    return _("Signed off on %(date)s") % {"date": when}
