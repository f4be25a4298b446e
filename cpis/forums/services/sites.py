"""Proposed sites for local public safety committees [2.4.1]."""

from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cpis.core.errors import DomainError, InvalidInput
from cpis.core.text import check_choice, clean_text
from cpis.organisation.access import Actor
from cpis.organisation.models import Unit

from ..models import (
    Forum,
    ProposedSite,
    SiteStatus,
)
from ..policy import policy
from ..selectors import FORUM_PLACE_KINDS, site_area
from .checks import WrongPlace, past_date


class SiteNeedsForum(DomainError):
    message = gettext_lazy("Choose the forum that was established at this site.")


@transaction.atomic
def identify_site(actor: Actor, *, unit: Unit, description: str, identified_on: date) -> ProposedSite:
    """Record a location that needs a new LPSC, from the station's analysis [2.4.1]."""
    policy.require(actor, "manage", unit.path)
    if unit.kind not in FORUM_PLACE_KINDS:
        raise WrongPlace()
    return ProposedSite.objects.create(
        unit=unit,
        unit_path=unit.path,
        description=clean_text(
            description, limit=2000, required=True, missing=_("Say why an LPSC is needed here.")
        ),
        identified_on=past_date(
            identified_on, _("The date the site was identified must lie between %(earliest)s and today.")
        ),
        identified_by_id=actor.user_id,
    )


@transaction.atomic
def change_site_status(
    actor: Actor, *, site: ProposedSite, status: str, forum: Forum | None = None, note: str = ""
) -> ProposedSite:
    """Move a proposed site on; "established" names the forum set up there."""
    policy.require(actor, "manage", site.unit_path)
    status = check_choice(status, SiteStatus.values, _("Choose a status."))
    if status == SiteStatus.ESTABLISHED:
        if forum is None:
            raise SiteNeedsForum()
        policy.require(actor, "manage", forum.unit_path)
        if not forum.unit_path.startswith(site_area(site)):
            raise InvalidInput(_("Name a forum of the site's own station area."))
    site = ProposedSite.objects.select_for_update().get(pk=site.pk)
    site.status = status
    site.forum = forum if status == SiteStatus.ESTABLISHED else None
    site.status_note = clean_text(note, limit=300, required=False)
    site.save(update_fields=["status", "forum", "status_note", "updated_at"])
    return site
