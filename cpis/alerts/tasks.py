"""Scheduled work of alerts, run by `cpis run_scheduled` (core.registry):
the fan-out on every call (a frequent job: cron every few minutes, or the
command's loop), retention once a day."""

from . import services


def fan_out_job() -> str:
    """News since the last call goes to its subscribers through the outbox."""
    queued = services.fan_out()
    total = sum(queued.values())
    return f"{total} alerts queued." if total else ""


def daily_job() -> str:
    deleted = services.purge()
    return f"{deleted} expired or unsubscribed alert subscriptions deleted."
