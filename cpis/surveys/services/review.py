"""Reviewing survey responses: a held response counted or set aside with the
reason, free text cleared for release or withheld — each decision kept with who
made it and when (`Decision`). "review" at the response's sector."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cpis.core.errors import DomainError
from cpis.core.text import clean_text
from cpis.organisation.access import Actor

from ..models import Decision, DecisionKind, Response, ResponseStatus, TextReview
from ..policy import policy
from ..selectors import responses as selectors


class NotHeld(DomainError):
    message = gettext_lazy("Only a held response can be counted or set aside.")


class NoTextToReview(DomainError):
    message = gettext_lazy("This response has no free text waiting for this decision.")


def _under_review(response: Response, field: str, allowed: set[str], refused: type[DomainError]) -> Response:
    """The response, locked, when its `field` is one of `allowed`; `refused` otherwise."""
    current = (
        Response.objects.select_for_update(of=("self",)).select_related("sector", "wave").get(pk=response.pk)
    )
    if getattr(current, field) not in allowed:
        raise refused()
    return current


def _decide(
    actor: Actor,
    response: Response,
    kind: str,
    note: str,
    *,
    device_cleared: bool = False,
    **changes: object,
) -> Response:
    """Save the decision's `changes` to the response and keep the decision (who,
    when, the note) beside it."""
    for name, value in changes.items():
        setattr(response, name, value)
    response.save(update_fields=list(changes))
    now = timezone.now()
    Response.objects.filter(pk=response.pk).update(reviewed_at=now)
    response.reviewed_at = now
    Decision.objects.create(
        response=response,
        kind=kind,
        note=note,
        device_cleared=device_cleared,
        decided_by_id=actor.user_id,
        decided_at=now,
    )
    return response


@transaction.atomic
def accept_response(actor: Actor, *, response: Response, note: str = "") -> Response:
    """Count a held response ("review" at its sector). When its device already
    has a counted response in the wave, its device link is cleared first (one
    counted response per device and wave) and the decision says so."""
    policy.require(actor, "review", response.sector.path)
    note = clean_text(note, limit=500, required=False)
    current = _under_review(response, "status", {ResponseStatus.HELD}, NotHeld)
    cleared = (
        bool(current.device)
        and current.wave is not None
        and selectors.device_answered(current.wave, current.device)
    )
    return _decide(
        actor,
        current,
        DecisionKind.ACCEPTED,
        note,
        device_cleared=cleared,
        status=ResponseStatus.ACCEPTED,
        device="" if cleared else current.device,
    )


@transaction.atomic
def reject_response(actor: Actor, *, response: Response, reason: str) -> Response:
    """Set a held response aside, not counted, with the reason ("review" at
    its sector). It is kept, never deleted."""
    policy.require(actor, "review", response.sector.path)
    reason = clean_text(reason, limit=500, required=True, missing=_("Say why the response is not counted."))
    current = _under_review(response, "status", {ResponseStatus.HELD}, NotHeld)
    return _decide(actor, current, DecisionKind.REJECTED, reason, status=ResponseStatus.REJECTED)


@transaction.atomic
def clear_text(actor: Actor, *, response: Response, note: str = "") -> Response:
    """Clear a response's free text for release (it names no one, says
    nothing that must not leave the police); "review" at its sector."""
    policy.require(actor, "review", response.sector.path)
    note = clean_text(note, limit=500, required=False)
    current = _under_review(response, "text_review", {TextReview.PENDING}, NoTextToReview)
    return _decide(actor, current, DecisionKind.TEXT_CLEARED, note, text_review=TextReview.CLEARED)


@transaction.atomic
def withhold_text(actor: Actor, *, response: Response, reason: str) -> Response:
    """Withhold a response's free text: it stays in the record for those who
    review it and is never exported. A cleared text may be withheld later."""
    policy.require(actor, "review", response.sector.path)
    reason = clean_text(reason, limit=500, required=True, missing=_("Say why the text is withheld."))
    current = _under_review(response, "text_review", {TextReview.PENDING, TextReview.CLEARED}, NoTextToReview)
    return _decide(actor, current, DecisionKind.TEXT_WITHHELD, reason, text_review=TextReview.WITHHELD)
