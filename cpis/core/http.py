"""Client addresses that a forged header cannot choose, the 404 a selector
gives for a row that does not exist or is not the actor's to see, and a
record's number read from a query string."""

import ipaddress
import logging
from typing import Any, TypeVar

from django.conf import settings
from django.db.models import Manager, Model, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from .errors import DomainError

M = TypeVar("M", bound=Model)
# The largest key a 64-bit column holds: a larger number names no row, and SQLite
# cannot even compare a column with it (a foreign key's lookup is not guarded, as a
# primary key's is).
MAX_ID = 2**63 - 1
logger = logging.getLogger(__name__)


def _valid(address: str) -> bool:
    try:
        ipaddress.ip_address(address)
    except ValueError:
        return False
    return True


def client_ip(request: HttpRequest) -> str:
    """The address of the client as seen by the nearest trusted proxy.

    With no trusted proxies (TRUSTED_PROXY_COUNT=0) this is REMOTE_ADDR and
    X-Forwarded-For is ignored. With N trusted proxies each appending the
    address it saw, the client is the N-th entry from the right; entries to
    its left were written by the client and are never trusted.
    """
    remote = str(request.META.get("REMOTE_ADDR", ""))
    count = int(settings.TRUSTED_PROXY_COUNT)
    if count <= 0:
        if "HTTP_X_FORWARDED_FOR" in request.META:
            _warn_forwarded_once(remote)
        return remote
    if settings.TRUSTED_PROXY_IPS and remote not in settings.TRUSTED_PROXY_IPS:
        return remote
    hops = [hop.strip() for hop in str(request.META.get("HTTP_X_FORWARDED_FOR", "")).split(",")]
    hops = [hop for hop in hops if hop]
    if len(hops) < count:
        return remote
    candidate = hops[-count]
    return candidate if _valid(candidate) else remote


_warned_forwarded = False


def _warn_forwarded_once(remote: str) -> None:
    """A request came with X-Forwarded-For although no proxy is trusted: a
    client forging it (ignored, rightly) or a proxy nobody declared, which
    would put every citizen behind one address. Said once per process."""
    global _warned_forwarded
    if not _warned_forwarded:
        _warned_forwarded = True
        logger.warning(
            "X-Forwarded-For received from %s while TRUSTED_PROXY_COUNT=0: the header is ignored. "
            "If CPIS runs behind a reverse proxy, set TRUSTED_PROXY_COUNT.",
            remote,
        )


def retry_later(response: HttpResponse, exc: DomainError) -> HttpResponse:
    """`response` with the `Retry-After` a broken rule asks for (a submission
    still in flight), if it asks for one."""
    if exc.retry_after is not None:
        response["Retry-After"] = str(exc.retry_after)
    return response


class OutsidePlace(Http404):
    """A 404 for a record that exists but lies outside what the asker may see:
    it answers like any 404, and the access log records the attempt
    (`subject_type`, `subject_id`; a unit path for a place)."""

    def __init__(self, subject_type: str, subject_id: object) -> None:
        super().__init__(_("Not found."))
        self.subject_type, self.subject_id = subject_type, subject_id


def one_or_404(rows: QuerySet[M] | Manager[M], **lookup: Any) -> M:
    """The row of `rows` matching `lookup`; 404 when there is none, so that
    "not yours" and "does not exist" look the same (OutsidePlace when the row
    exists beyond `rows`, for the access log)."""
    row = rows.filter(**lookup).first()
    if row is None:
        everything = rows.model._default_manager.filter(**lookup)
        if "pk" in lookup and everything.exists():
            raise OutsidePlace(rows.model._meta.label_lower, lookup["pk"])
        raise Http404(_("Not found."))
    return row


def whole_number(value: str, *, most: int = MAX_ID) -> int | None:
    """`value` as a whole number from 0 to `most`, or None when it is not one (as
    when it has more digits than any column holds)."""
    if not (value.isascii() and value.isdigit()) or len(value) > len(str(most)):
        return None
    number = int(value)
    return number if number <= most else None
