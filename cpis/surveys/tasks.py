"""Background entry points: thin, idempotent, each calls one service."""

from .services import invitations


def daily_job() -> str:
    """Run by `cpis run_scheduled` once a day: invite the reporters of
    recently closed concerns to the questionnaire after a concern."""
    sent = invitations.invite_after_concerns()
    return f"Survey invitations sent after {sent} closed concerns."
