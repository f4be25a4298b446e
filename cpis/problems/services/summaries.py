"""Writes of a problem's public summary [3.2.5]: written (Albanian and
Serbian Cyrillic required, English optional; Serbian Latin is generated when
shown) for a problem closed as solved or reduced, submitted, and approved or
returned by a second person before citizens see it; withdrawn from the
public pages. Text that holds an e-mail address or a phone number is refused.
Every step is written to the problem's history."""

import re
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cpis.core.contact import normalise_phone
from cpis.core.errors import DomainError, InvalidInput
from cpis.core.i18n import has_cyrillic
from cpis.core.text import clean_text
from cpis.organisation.access import Actor

from ..models import Problem, PublicSummary, SummaryStatus
from ..policy import policy
from ..selectors import summaries as selectors
from .history import record
from .problems import require_work

TITLE_LIMIT = 200
BODY_LIMIT = 6000

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# A run of digits with what people write between them (+383 44 123 456, 044/123-456).
DIGIT_RUN = re.compile(r"\+?\d[\d \t().\-/]*\d")
# Longest stretch of space-separated groups tried as one number (+383 44 123 456 is four).
MAX_GROUPS = 6


class NotSolved(DomainError):
    message = gettext_lazy(
        "A public summary is written for a problem closed as solved or reduced: close the problem first."
    )


class SummaryLocked(DomainError):
    message = gettext_lazy("The summary is waiting for review or is published: withdraw it to change it.")


class NotSubmitted(DomainError):
    message = gettext_lazy("The summary is not waiting for review.")


class OwnSummary(DomainError):
    status_code = 403
    message = gettext_lazy(
        "A second person reviews the summary: who wrote, changed or submitted it "
        "may not approve or return it."
    )


class NotWithdrawable(DomainError):
    message = gettext_lazy("Only a summary waiting for review or published can be withdrawn.")


def _has_phone(text: str) -> bool:
    """A phone number a phone could dial, anywhere in the text (years, dates
    and counts are not: they do not read as a number in Kosovo or in +… form)."""
    for run in DIGIT_RUN.finditer(text):
        groups = run.group().split()
        for start in range(len(groups)):
            for end in range(start + 1, min(len(groups), start + MAX_GROUPS) + 1):
                if normalise_phone(" ".join(groups[start:end])) is not None:
                    return True
    return False


def check_public_text(label: Any, text: str) -> None:
    """Refuse text citizens would read that holds an e-mail address or a phone
    number: contact details are personal data (a station's public number is on
    its own page)."""
    if EMAIL.search(text):
        raise InvalidInput(
            _(
                "Remove the e-mail address from the %(field)s: a public summary holds no personal data "
                "such as contact details."
            )
            % {"field": label}
        )
    if _has_phone(text):
        raise InvalidInput(
            _(
                "Remove the phone number from the %(field)s: a public summary holds no personal data "
                "such as contact details."
            )
            % {"field": label}
        )


def _label(name: str) -> Any:
    field = PublicSummary._meta.get_field(name)
    return getattr(field, "verbose_name", name)


def _clean_texts(texts: dict[str, str]) -> dict[str, str]:
    """The six texts, trimmed and checked: Albanian and Serbian required, the
    Serbian in Cyrillic (the Latin is generated from it), English both or
    neither, no contact details anywhere."""
    clean: dict[str, str] = {}
    for name in selectors.TEXT_FIELDS:
        required = not name.endswith("_en")
        limit = TITLE_LIMIT if name.startswith("title") else BODY_LIMIT
        clean[name] = clean_text(
            texts.get(name, ""),
            limit=limit,
            required=required,
            missing=_("Fill in the %(field)s.") % {"field": _label(name)},
        )
    for name in ("title_sr", "body_sr"):
        if not has_cyrillic(clean[name]):
            raise InvalidInput(
                _("Write the %(field)s in Cyrillic: the Latin version is generated from it.")
                % {"field": _label(name)}
            )
    if bool(clean["title_en"]) != bool(clean["body_en"]):
        raise InvalidInput(_("Give both the English title and the English summary, or neither."))
    for name, text in clean.items():
        check_public_text(_label(name), text)
    return clean


def _require_publishable(problem: Problem) -> None:
    if not selectors.may_publish_problem(problem):
        raise NotSolved()


class NoSummary(DomainError):
    message = gettext_lazy("No public summary has been written for this problem yet.")


def _locked(problem: Problem) -> PublicSummary:
    summary = PublicSummary.objects.select_for_update().filter(problem=problem).first()
    if summary is None:
        raise NoSummary()
    summary.problem = problem
    return summary


@transaction.atomic
def save_summary(
    actor: Actor,
    *,
    problem: Problem,
    title_sq: str,
    title_sr: str,
    body_sq: str,
    body_sr: str,
    title_en: str = "",
    body_en: str = "",
) -> PublicSummary:
    """Write or change the problem's public summary (a draft). The problem's
    owner, team officers and leads may, once it is closed as solved or
    reduced; a summary waiting for review or published is withdrawn first.
    The last writer is kept as its writer, and may not approve it."""
    require_work(actor, problem)
    _require_publishable(problem)
    texts = _clean_texts(
        {
            "title_sq": title_sq,
            "title_sr": title_sr,
            "title_en": title_en,
            "body_sq": body_sq,
            "body_sr": body_sr,
            "body_en": body_en,
        }
    )
    summary = PublicSummary.objects.select_for_update().filter(problem=problem).first()
    if summary is None:
        summary = PublicSummary.objects.create(problem=problem, written_by_id=actor.user_id, **texts)
    else:
        if summary.status not in (SummaryStatus.DRAFT, SummaryStatus.WITHDRAWN):
            raise SummaryLocked()
        for name, value in texts.items():
            setattr(summary, name, value)
        summary.status = SummaryStatus.DRAFT
        summary.written_by_id = actor.user_id
        summary.reviewed_by = None
        summary.submitted_at = None
        summary.save()
    record(problem, actor, selectors.SAVED, to=summary.status)
    return summary


@transaction.atomic
def submit_summary(actor: Actor, *, problem: Problem) -> PublicSummary:
    """Send the problem's summary for review by a second person (a station lead)."""
    require_work(actor, problem)
    _require_publishable(problem)
    summary = _locked(problem)
    if summary.status not in (SummaryStatus.DRAFT, SummaryStatus.WITHDRAWN):
        raise SummaryLocked()
    _clean_texts({name: getattr(summary, name) for name in selectors.TEXT_FIELDS})
    summary.status = SummaryStatus.SUBMITTED
    summary.submitted_at = timezone.now()
    summary.save()
    record(problem, actor, selectors.SUBMITTED, to=summary.status)
    return summary


@transaction.atomic
def review_summary(actor: Actor, *, problem: Problem, approve: bool, note: str = "") -> PublicSummary:
    """Approve the summary (it is published on the portal at once) or return it
    to its writers with a note. A station lead who neither wrote, changed nor
    submitted it may."""
    policy.require(actor, "publish", problem.unit_path)
    summary = _locked(problem)
    if summary.status != SummaryStatus.SUBMITTED:
        raise NotSubmitted()
    if actor.user_id is None or actor.user_id in selectors.authors(summary):
        raise OwnSummary()
    _require_publishable(problem)
    note = clean_text(
        note, limit=2000, required=not approve, missing=_("Say what should change before it is published.")
    )
    summary.reviewed_by_id = actor.user_id
    summary.review_note = note
    if approve:
        summary.status = SummaryStatus.PUBLISHED
        summary.published_at = timezone.now()
    else:
        summary.status = SummaryStatus.DRAFT
        summary.submitted_at = None
    summary.save()
    record(problem, actor, selectors.PUBLISHED if approve else selectors.RETURNED, note=note)
    return summary


@transaction.atomic
def withdraw_summary(actor: Actor, *, problem: Problem, note: str = "") -> PublicSummary:
    """Take the problem's summary off the public pages (a station lead), or
    back from review (its writers too). It can then be changed and submitted again."""
    policy.require(actor, "view", problem.unit_path)
    summary = _locked(problem)
    if summary.status == SummaryStatus.PUBLISHED:
        policy.require(actor, "publish", problem.unit_path)
    elif summary.status == SummaryStatus.SUBMITTED:
        if not policy.can(actor, "publish", problem.unit_path):
            require_work(actor, problem)
    else:
        raise NotWithdrawable()
    was = summary.status
    summary.status = SummaryStatus.WITHDRAWN
    summary.save()
    record(
        problem,
        actor,
        selectors.WITHDRAWN,
        note=clean_text(note, limit=2000, required=False),
        **{"from": was},
    )
    return summary
