"""Background entry points of the privacy app: thin, each calls one service."""

from cpis.organisation.access import Actor

from .services import audit


def check_access_log() -> str:
    """Run by `cpis run_scheduled` once a day: check the access log's chain
    from the head the last intact check saw, and record the check."""
    check = audit.check_chain(Actor.system())
    if check.intact:
        return f"Access log intact: {check.entries} entries, head {check.head_seq}:{check.head_hash}."
    return f"ACCESS LOG BROKEN at entry {check.broken_at}: {check.problem} (see the data-protection screen)."
