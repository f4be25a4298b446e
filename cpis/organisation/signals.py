"""Cache invalidation only (no domain flow in signals): a saved or deleted
sector gives the sector index a new version inside the same transaction."""

import secrets
from typing import Any

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import SectorIndexVersion, Unit, UnitKind


@receiver(post_save, sender=Unit)
@receiver(post_delete, sender=Unit)
def renew_sector_index_version(sender: type[Unit], instance: Unit, **kwargs: Any) -> None:
    if instance.kind != UnitKind.SECTOR:
        return
    # A random value, not a counter: a counter restarted after the table is
    # emptied could repeat a value some process still holds.
    SectorIndexVersion.objects.update_or_create(pk=1, defaults={"value": secrets.randbits(62)})
    # Other processes notice within INDEX_CHECK_SECONDS; this one at once.
    from .geo import forget_sector_index

    transaction.on_commit(forget_sector_index)
    forget_sector_index()
