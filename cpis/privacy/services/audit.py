"""Writes about the access log: a check of its hash chain, recorded (the
data-protection officer's button and the daily job), and an export of
entries, itself written to the log."""

import logging

from django.http import HttpRequest

from cpis.accounts.audit import Why, log_personal_data_access, verify_chain
from cpis.accounts.models import Purpose
from cpis.organisation.access import Actor

from ..models import ChainCheck
from ..selectors import audit as selectors

logger = logging.getLogger(__name__)


def check_chain(actor: Actor) -> ChainCheck:
    """Recompute the access log's chain, from the head the last intact check
    saw (so that removing the newest entries since then shows too), and record
    what was found. The officer (policy "audit") or the system."""
    selectors.require_audit(actor)
    found = verify_chain(anchor=selectors.get_anchor())
    check = ChainCheck.objects.create(
        checked_by_id=actor.user_id,
        entries=found.entries,
        head_seq=found.head_seq,
        head_hash=found.head_hash,
        intact=found.intact,
        broken_at=found.broken_at,
        problem=found.problem[:200],
    )
    if not check.intact:
        logger.error("The access log is broken at entry %s: %s", check.broken_at, check.problem)
    return check


def export_entries(
    actor: Actor, filters: selectors.AuditFilters, *, request: HttpRequest | None
) -> list[list[object]]:
    """The matching entries as rows for a file; the export is itself an entry
    of the log (supervision; its record is the number of rows)."""
    rows = selectors.export_rows(actor, filters)
    log_personal_data_access(
        user_id=actor.user_id,
        subject_type=selectors.EXPORT_SUBJECT,
        subject_id=len(rows),
        request=request,
        why=Why(Purpose.SUPERVISION),
    )
    return rows
