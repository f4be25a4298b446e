"""Background entry points: thin, idempotent, each calls one service."""

from . import services


def send_digests() -> str:
    """Run by `cpis run_scheduled` once a day."""
    return f"Daily notification digests queued: {services.send_digests()}."


def prune_read() -> str:
    """Run by `cpis run_scheduled` once a day."""
    return f"Read notifications deleted after {services.KEEP_READ_DAYS} days: {services.prune_read()}."
