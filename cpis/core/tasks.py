"""Background entry points of the kernel: thin and idempotent."""

from django_tasks import task


@task()
def deliver_message(message_id: int) -> bool:
    from . import outbox

    return outbox.deliver(message_id)
