"""The rules a report's fields follow, shared by the form, the API and the import:
the checked fields or InvalidInput naming the first problem, in the reader's
language; and the normalised headline and link that find a report already logged."""

from datetime import date
from urllib.parse import urlsplit, urlunsplit

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils import timezone
from django.utils.translation import gettext as _

from cpis.core.errors import InvalidInput
from cpis.core.text import clean_text
from cpis.organisation.models import Unit

from .models import Outlet, Tone, Topic

# Nothing is logged from before the Kosovo Police existed.
EARLIEST = date(2000, 1, 1)
MAX_PLACES = 20
_URL = URLValidator(schemes=["http", "https"])


def headline_key(headline: str) -> str:
    """The headline with its spacing and case set aside."""
    return " ".join((headline or "").split()).casefold()[:300]


def url_key(url: str) -> str:
    """The link with its scheme and host in lower case, no fragment and no final
    slash; "" for no link; InvalidInput for one that is not a web address."""
    url = (url or "").strip()
    if not url:
        return ""
    if len(url) > 500:
        raise InvalidInput(_("The link is too long: at most 500 characters."))
    try:
        _URL(url)
    except ValidationError as exc:
        raise InvalidInput(_("The link must be a web address starting with http:// or https://.")) from exc
    parts = urlsplit(url)
    path = parts.path.rstrip("/")
    return urlunsplit(("https", parts.netloc.lower().removeprefix("www."), path, parts.query, ""))


def clean_fields(
    *,
    published_on: object,
    outlet: Outlet,
    headline: str,
    url: str,
    summary: str,
    topic: Topic,
    tone: str,
    units: list[Unit],
) -> dict[str, object]:
    """A report's checked fields, or InvalidInput naming the first problem."""
    if not isinstance(published_on, date):
        raise InvalidInput(_("Give the date of the report."))
    if published_on > timezone.localdate():
        raise InvalidInput(_("The date cannot be in the future."))
    if published_on < EARLIEST:
        raise InvalidInput(_("The date is too far in the past."))
    if not outlet.is_active:
        raise InvalidInput(_("This outlet is no longer in use; choose another."))
    if not topic.is_active:
        raise InvalidInput(_("This topic is no longer in use; choose another."))
    if tone not in Tone.values:
        raise InvalidInput(_("Choose the tone toward the police: positive, neutral or negative."))
    if not units:
        raise InvalidInput(_("Choose at least one place the report concerns."))
    if len(units) > MAX_PLACES:
        raise InvalidInput(_("A report may concern at most %(n)s places.") % {"n": MAX_PLACES})
    headline = clean_text(headline, limit=300, required=True, missing=_("Give the headline."))
    key = url_key(url)
    return {
        "published_on": published_on,
        "outlet": outlet,
        "headline": headline,
        "headline_key": headline_key(headline),
        "url": (url or "").strip(),
        "url_key": key,
        "summary": clean_text(summary, limit=2000, required=False),
        "topic": topic,
        "tone": tone,
    }
