"""Closing the loop with the reporter (issue #15 item 7): when a concern is closed
as resolved, a reporter who left an e-mail is asked "resolved / not resolved"
through a signed link (no account, no tracking code in the URL). "Not resolved"
within four weeks of the closure reopens the concern, flags it in the queue and
tells the assignee; later, the answer is kept but the concern stays closed (the
citizen is asked to report it again). One answer per closure; the answers feed
the concern statistics (selectors.count_reporter_answers)."""

from datetime import timedelta

from django.core import signing
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from cpis.core.errors import DomainError, InvalidInput
from cpis.notifications.models import Kind as NotificationKind
from cpis.organisation.access import Actor

from ..models import ClosureAnswer, Concern, ConcernEvent, EventKind, Status
from .notices import ANSWER_SALT
from .workflow import lock, move_status, tell_assignee

REOPEN_WITHIN = timedelta(weeks=4)
# How long the link works: the reopening window, and a little for a late "resolved".
LINK_VALID = timedelta(days=90)


class AnswerLinkInvalid(InvalidInput):
    message = gettext_lazy(
        "This link is not valid or has expired. Follow your concern with its tracking code."
    )


class ConcernChangedSinceClosed(DomainError):
    status_code = 409
    message = gettext_lazy("This concern has changed since it was closed. Follow it with its tracking code.")


class AlreadyAnswered(DomainError):
    status_code = 409
    message = gettext_lazy("Your answer about this concern was already recorded. Thank you.")


def concern_for_token(token: str) -> Concern:
    """The closed concern a link asks about (AnswerLinkInvalid, ConcernChangedSinceClosed)."""
    try:
        data = signing.loads(token, salt=ANSWER_SALT, max_age=LINK_VALID)
        concern = Concern.objects.select_related("category").get(pk=int(data["c"]))
        closed = float(data["t"])
    except (signing.BadSignature, Concern.DoesNotExist, KeyError, TypeError, ValueError) as exc:
        raise AnswerLinkInvalid() from exc
    if (
        concern.status != Status.RESOLVED
        or concern.closed_at is None
        or concern.closed_at.timestamp() != closed
    ):
        raise ConcernChangedSinceClosed()
    return concern


@transaction.atomic
def answer_closure(*, token: str, resolved: bool) -> ClosureAnswer:
    """Record the reporter's answer; "not resolved" within REOPEN_WITHIN reopens
    the concern (back to in progress), flags it and tells the assignee."""
    concern = lock(concern_for_token(token))
    closed_at = concern.closed_at
    if closed_at is None:  # concern_for_token checked it; the lock re-read it
        raise ConcernChangedSinceClosed()
    now = timezone.now()
    reopen = not resolved and now - closed_at <= REOPEN_WITHIN
    try:
        with transaction.atomic():
            answer = ClosureAnswer.objects.create(
                concern=concern,
                closed_at=closed_at,
                resolved=resolved,
                answered_at=now,
                reopened=reopen,
            )
    except IntegrityError as exc:
        raise AlreadyAnswered() from exc
    text = (
        gettext("The reporter says the concern is resolved.")
        if resolved
        else gettext("The reporter says the concern is not resolved.")
    )
    ConcernEvent.objects.create(concern=concern, kind=EventKind.CITIZEN, text=text, is_public=True, at=now)
    if reopen:
        concern.outcome = ""
        concern.citizen_wrote_at = concern.citizen_wrote_at or now
        move_status(Actor.system(), concern, Status.IN_PROGRESS, internal_text=text)
        tell_assignee(
            concern,
            NotificationKind.CITIZEN_WROTE,
            f"not-resolved:{answer.pk}",
            lambda: gettext("The reporter says concern %(reference)s is not resolved: it is reopened")
            % {"reference": concern.reference},
        )
    return answer
