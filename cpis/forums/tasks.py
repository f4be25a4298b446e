"""Background entry points: thin, idempotent, each calls one service."""

from . import services


def notify_due_action_items() -> str:
    """Run by `cpis run_scheduled` once a day: action items coming due, told to their officers."""
    return f"Officers told of {services.notify_due_action_items()} forum action items coming due."
