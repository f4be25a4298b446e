"""Background entry points: thin, idempotent, each calls one service."""

from django.utils import timezone

from .services import vulnerable


def erase_expired_vulnerable() -> str:
    """Daily: the register's entries whose review date passed unreviewed are erased."""
    return vulnerable.erase_expired(timezone.localdate())
