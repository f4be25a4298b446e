"""What the report counts from the records for its sector and month, so the
sector leader completes it rather than types it [2.4.3]. Each entry names a
count over a lower app's selectors."""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from cpis.concerns import selectors as concerns
from cpis.core.periods import Period
from cpis.forums import selectors as forums
from cpis.outreach import selectors as outreach
from cpis.partners import selectors as partners

Counter = Callable[..., list[int]]


@dataclass(frozen=True)
class Figure:
    key: str
    label: Promise
    count: Counter


FIGURES = [
    Figure("forum_meetings", _("Forum meetings held"), forums.count_meetings_held),
    Figure("executive_councils", _("Executive council meetings"), forums.count_executive_councils),
    Figure("tension_reports", _("Community tension reports"), forums.count_tension_reports),
    Figure("press_releases", _("Press releases about forum activity"), forums.count_press_releases),
    Figure("partners_identified", _("Partners identified"), partners.count_partners_identified),
    Figure("agreements_signed", _("Agreements and memoranda signed"), partners.count_agreements_signed),
    Figure("lectures", _("Lectures in schools"), outreach.count_lectures),
    Figure("public_contacts", _("Sector leader's public contacts"), outreach.count_public_contacts),
    Figure("ngo_meetings", _("Meetings with NGOs and the community"), outreach.count_ngo_meetings),
    Figure("concerns_at_forums", _("Concerns raised at forum meetings"), concerns.count_raised_at_forums),
    Figure("concerns_received", _("Concerns received (all channels)"), concerns.count_received),
    Figure(
        "reporter_resolved",
        _("Reporters who said their concern is resolved"),
        concerns.count_reporter_resolved,
    ),
    Figure(
        "reporter_not_resolved",
        _("Reporters who said their concern is not resolved"),
        concerns.count_reporter_not_resolved,
    ),
]
LABELS = {figure.key: figure.label for figure in FIGURES}


def count(path: str, period: Period) -> dict[str, int]:
    """Every figure for the units under `path` in `period` (one query each)."""
    return {figure.key: figure.count([period], path=path)[0] for figure in FIGURES}
