"""The staff side's navigation bars in one table: the staff home's bar and each app's
bar over its pages, drawn by `{% navbar name %}` (`{% load navigation %}`) with the
link of the page one is on marked `aria-current`. The site's top bar stays in
templates/base.html; a page that needs a link in a bar adds a row here."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import template
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from cpis.appraisals.selectors import may_open as may_open_appraisals
from cpis.media.policy import policy as media
from cpis.notifications.selectors import count_unread
from cpis.organisation.access import POLICING_ROLES, Actor
from cpis.people.selectors import may_open_records
from cpis.privacy.selectors import audit
from cpis.problems.policy import policy as problems
from cpis.problems.selectors import actions, vulnerable
from cpis.surveys.policy import policy as surveys

register = template.Library()


@dataclass(frozen=True)
class Link:
    """A link of a bar: the URL name and the label; `keep_query` carries the page's
    filters (its `query_string`) to the linked page; `shown_if` names the flag of the
    page's context without which the link is left out, `shown_to` a test of the
    request's actor for a link of a page the bar's usual readers may not open;
    `badge` counts what waits behind the link (shown when not 0), `badge_label`
    says what it counts."""

    url_name: str
    label: str | Promise
    keep_query: bool = False
    shown_if: str = ""
    shown_to: Callable[[Actor], bool] | None = None
    badge: Callable[[Actor], int] | None = None
    badge_label: str | Promise = ""


# The data-protection officer's entry on the staff bar, with the alerts of the last week.
AUDIT_LINK = Link(
    "privacy:audit",
    _("Audit trail"),
    shown_to=audit.may_audit,
    badge=audit.count_recent_alerts,
    badge_label=_("alerts in the last 7 days"),
)
REQUESTS_LINK = Link("privacy:requests", _("Data-subject requests"), shown_to=audit.may_audit)


def policing(actor: Actor) -> bool:
    """Holds a role that sees policing records somewhere (not professional
    standards or the data-protection officer alone, to whom those pages say 404)."""
    return actor.is_system or bool(actor.paths(POLICING_ROLES))


@dataclass(frozen=True)
class Bar:
    label: str | Promise  # what a screen reader calls the bar
    links: tuple[Link, ...]


BARS = {
    "staff": Bar(
        _("Staff"),
        (
            Link(
                "notifications:inbox", _("Inbox"), badge=count_unread, badge_label=_("unread notifications")
            ),
            Link("organisation:officers", _("Officers")),
            Link("people:home", _("Records"), shown_to=may_open_records),
            Link("appraisals:home", _("Evaluations"), shown_to=may_open_appraisals),
            Link("concerns:queue", _("Concerns")),
            Link("forums:list", _("Forums"), shown_to=policing),
            Link("partners:list", _("Partners")),
            Link("outreach:list", _("Outreach"), shown_to=policing),
            Link("problems:list", _("Problems"), shown_to=policing),  # problems' "view" is POLICING_ROLES
            Link("surveys:results", _("Surveys"), shown_to=policing),  # surveys' "view" is POLICING_ROLES
            Link("training:home", _("Training"), shown_to=policing),
            Link("reporting:home", _("Forum and partner reports")),
            Link("plans:dashboard", _("Action plan"), shown_to=policing),
            Link("media:list", _("Media"), shown_to=lambda actor: media.anywhere(actor, "view")),
            AUDIT_LINK,
            REQUESTS_LINK,
        ),
    ),
    "privacy": Bar(_("Data protection"), (AUDIT_LINK, REQUESTS_LINK)),
    "forums": Bar(
        _("Community safety forums"),
        (
            Link("forums:list", _("Forums")),
            Link("forums:actions", _("Action items")),
            Link("forums:sites", _("Sites for a new LPSC")),
        ),
    ),
    "partners": Bar(
        _("Partners"),
        (
            Link("partners:list", _("Partner registry")),
            Link("partners:agreements", _("Agreements")),
            Link("partners:groups", _("Interest groups")),
            Link("partners:volunteers", _("Volunteers")),
            Link("partners:hours", _("Volunteer hours")),
            Link("partners:recognitions", _("Recognitions")),
        ),
    ),
    "training": Bar(
        _("Training"),
        (
            Link("training:home", _("Overview")),
            Link("training:trainers", _("Trainers")),
            Link("training:programmes", _("Programmes")),
            Link("training:courses", _("Courses")),
            Link("training:visits", _("Study visits")),
            Link("training:needs", _("Training needs")),
        ),
    ),
    "incidents": Bar(
        _("Incidents"),
        (
            Link("incidents:list", _("Incidents")),
            Link("incidents:categories", _("Categories")),
            Link("incidents:import", _("Import"), shown_if="can_import"),
        ),
    ),
    "analytics": Bar(
        _("Analysis"),
        (
            Link("analytics:trends", _("Trends"), keep_query=True),
            Link("analytics:hotspots", _("Hotspots"), keep_query=True),
            Link("analytics:near_repeat", _("Near-repeat")),
            Link("analytics:clusters", _("Emerging clusters"), keep_query=True),
            Link("analytics:deployment", _("Deployment"), keep_query=True),
            Link("analytics:service", _("Service statistics"), keep_query=True),
        ),
    ),
    "problems": Bar(
        _("Problem solving"),
        (
            Link("problems:list", _("Problems")),
            Link(
                "problems:actions",
                _("Actions"),
                badge=lambda actor: actions.count_overdue(actor, mine=True),
                badge_label=_("of my actions are overdue"),
            ),
            Link("problems:priorities", _("Sector priorities")),
            Link(
                "problems:vulnerable_list",
                _("Vulnerable persons and groups"),
                shown_to=vulnerable.may_open_register,
            ),
        ),
    ),
    "surveys": Bar(
        _("Perception surveys"),
        (
            Link("surveys:results", _("Results")),
            Link("surveys:waves", _("Survey waves")),
            Link("surveys:questionnaires", _("Questionnaires")),
            Link(
                "surveys:collect",
                _("Take responses"),
                shown_to=lambda actor: surveys.anywhere(actor, "collect"),
            ),
            Link("surveys:review", _("Review"), shown_to=lambda actor: surveys.anywhere(actor, "review")),
            Link(
                "surveys:exports",
                _("Data for analysis"),
                shown_to=lambda actor: surveys.anywhere(actor, "export"),
            ),
        ),
    ),
    "media": Bar(
        _("Media analysis"),
        (
            Link("media:list", _("Media log"), keep_query=True),
            Link("media:coverage", _("Coverage and tone"), keep_query=True),
            Link("media:log", _("Log a report"), shown_to=lambda actor: media.anywhere(actor, "log")),
            Link("media:import", _("Import"), shown_to=lambda actor: media.anywhere(actor, "log")),
            Link("media:outlets", _("Outlets")),
        ),
    ),
    # Every link of the plan's bar takes the plan: {% navbar "plans" plan.pk %}.
    "plans": Bar(
        _("Action plan"),
        (
            Link("plans:plan", _("Dashboard")),
            Link("plans:deadlines", _("Deadlines")),
            Link("plans:indicators", _("Indicators")),
            Link("plans:evaluations", _("Evaluations")),
            Link("plans:export", _("Export (XLSX)")),
        ),
    ),
}


@register.inclusion_tag("components/navbar.html", takes_context=True)
def navbar(context: template.Context, name: str, *args: Any, active: str = "") -> dict[str, Any]:
    """The bar `name`, its links reversed with `args`. The current link is the one
    whose page is the request's, or, on a page of its own that belongs under one of
    the links (an analysis run), the one whose URL name ends in `active`."""
    request = context.get("request")
    actor = getattr(request, "actor", None) or Actor.anonymous()
    query = context.get("query_string", "")
    links = []
    for link in BARS[name].links:
        if link.shown_if and not context.get(link.shown_if):
            continue
        if link.shown_to is not None and not link.shown_to(actor):
            continue
        url = reverse(link.url_name, args=args)
        if active:
            current = link.url_name.partition(":")[2] == active
        else:
            current = request is not None and url == request.path
        if link.keep_query and query:
            url = f"{url}?{query}"
        badge = link.badge(actor) if link.badge is not None else 0
        links.append(
            {
                "url": url,
                "label": link.label,
                "current": current,
                "badge": badge,
                "badge_label": link.badge_label,
            }
        )
    return {"label": BARS[name].label, "links": links}


def main_menu(request: Any) -> dict[str, Any]:
    """A context processor: what the reader may open, for links drawn outside the bars.
    `sees_policing`: the main menu's forums, outreach, incidents, analysis and action
    plan, and the sector page's panels (they say 404 to professional standards and the
    data-protection officer alone). `may_open_problems`: the "open a problem from
    this…" links of other apps' pages (hot spots, clusters, analyses, forums' decisions
    and tension reports, the concern queue), refused to the strategy coordinator.
    Callables: asked only when a page draws such a link."""
    actor = getattr(request, "actor", None)
    if actor is None:
        return {"sees_policing": False, "may_open_problems": False}
    return {
        "sees_policing": lambda: policing(actor),
        "may_open_problems": lambda: problems.anywhere(actor, "open"),
    }
