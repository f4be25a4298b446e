"""Background entry points of the kernel: thin and idempotent."""

from django_tasks import task


@task()
def deliver_message(message_id: int) -> bool:
    from . import outbox

    return outbox.deliver(message_id)


@task()
def sweep_outbox() -> int:
    """Send what is due within this minute's rate (after a bulk queue)."""
    from . import outbox

    return outbox.deliver_due()


def prune_spent() -> str:
    """Run by `cpis run_scheduled` once a day: spent rate limits, proof-of-work
    challenges and submission keys are deleted."""
    from . import idempotency, pow, ratelimit

    pruned = ratelimit.prune() + pow.prune() + idempotency.prune()
    return f"{pruned} spent limits, challenges and submission keys pruned."
