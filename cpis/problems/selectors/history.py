"""A problem's history in words, for the Overview tab, an entry of the
register and the case write-up. Each kind of change the services record
(`Change.what`) has its sentence here, whole and with named placeholders so
that it translates; values stored as codes (stages, outcomes, kinds) are
shown by their labels in the reader's language. A kind of change with no
sentence yet reads "Changed by …" with its note: add a row to SENTENCES."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from ..models import Change, HypothesisStatus, MemberKind, Outcome, Problem, Side, SourceKind, Stage


@dataclass(frozen=True)
class Line:
    at: datetime
    text: str
    note: str = ""


def _label(choices: type[models.TextChoices], value: Any) -> str:
    return str(dict(choices.choices).get(value, value or "–"))


def _field_label(name: str) -> str:
    try:
        field = Problem._meta.get_field(name)
    except FieldDoesNotExist:  # a field since renamed: the stored name is all there is
        return name
    return str(getattr(field, "verbose_name", name))


def _opened(d: dict[str, Any], who: str) -> str:
    return _("Opened by %(who)s.") % {"who": who}


def _source_linked(d: dict[str, Any], who: str) -> str:
    return _("%(who)s linked a source: %(kind)s.") % {"who": who, "kind": _label(SourceKind, d.get("kind"))}


def _changed(d: dict[str, Any], who: str) -> str:
    fields = ", ".join(_field_label(name) for name in d.get("fields") or [])
    return _("%(who)s changed: %(fields)s.") % {"who": who, "fields": fields or "–"}


def _owner(d: dict[str, Any], who: str) -> str:
    before, after = d.get("from") or "", d.get("to") or ""
    if before and after:
        return _("Owner changed from %(from)s to %(to)s by %(who)s.") % {
            "from": before,
            "to": after,
            "who": who,
        }
    if after:
        return _("Owner set to %(to)s by %(who)s.") % {"to": after, "who": who}
    if before:
        return _("Owner %(from)s removed by %(who)s.") % {"from": before, "who": who}
    return _("Left without an owner by %(who)s.") % {"who": who}


def _stage(d: dict[str, Any], who: str) -> str:
    return _("Stage moved from %(from)s to %(to)s by %(who)s.") % {
        "from": _label(Stage, d.get("from")),
        "to": _label(Stage, d.get("to")),
        "who": who,
    }


def _closed(d: dict[str, Any], who: str) -> str:
    return _("Closed as “%(outcome)s” by %(who)s at the stage %(stage)s.") % {
        "outcome": _label(Outcome, d.get("outcome")),
        "who": who,
        "stage": _label(Stage, d.get("from")),
    }


def _reopened(d: dict[str, Any], who: str) -> str:
    return _("Reopened at the response stage by %(who)s; it had been closed as “%(outcome)s”.") % {
        "who": who,
        "outcome": _label(Outcome, d.get("outcome")),
    }


def _team_added(d: dict[str, Any], who: str) -> str:
    # A citizen's name is not kept in the history: it is personal data.
    if d.get("kind") == MemberKind.CITIZEN or not d.get("note"):
        return _("A citizen joined the team, added by %(who)s.") % {"who": who}
    return _("%(name)s (%(kind)s) joined the team, added by %(who)s.") % {
        "name": d["note"],
        "kind": _label(MemberKind, d.get("kind")),
        "who": who,
    }


def _team_removed(d: dict[str, Any], who: str) -> str:
    if d.get("kind") == MemberKind.CITIZEN or not d.get("note"):
        return _("A citizen left the team, removed by %(who)s.") % {"who": who}
    return _("%(name)s (%(kind)s) left the team, removed by %(who)s.") % {
        "name": d["note"],
        "kind": _label(MemberKind, d.get("kind")),
        "who": who,
    }


def _said(sentence: str) -> Callable[[dict[str, Any], str], str]:
    """A kind of change whose sentence needs only who made it (the note, under it,
    says what: the action, the triangle entry, the hypothesis, the reviewer's note)."""

    def say(d: dict[str, Any], who: str) -> str:
        return _(sentence) % {"who": who}

    return say


def _hypothesis_tested(d: dict[str, Any], who: str) -> str:
    return _("%(who)s marked a hypothesis “%(to)s”.") % {
        "who": who,
        "to": _label(HypothesisStatus, d.get("to")),
    }


def _triangle(sentence: str) -> Callable[[dict[str, Any], str], str]:
    def say(d: dict[str, Any], who: str) -> str:
        return _(sentence) % {"who": who, "side": _label(Side, d.get("side"))}

    return say


def _owner_officer(d: dict[str, Any], who: str) -> str:
    return _("Officer appointed: %(to)s, by %(who)s (before: %(from)s).") % {
        "to": d.get("to") or "–",
        "from": d.get("from") or "–",
        "who": who,
    }


def _anything(d: dict[str, Any], who: str) -> str:
    return _("Changed by %(who)s.") % {"who": who}


# Change.what → its sentence, from the details and who made the change. The note
# (`details["note"]`: a reason, a label) is shown under it, except where the
# sentence already names it.
SENTENCES: dict[str, Callable[[dict[str, Any], str], str]] = {
    "opened": _opened,
    "source_linked": _source_linked,
    "changed": _changed,
    "owner": _owner,
    "stage": _stage,
    "closed": _closed,
    "reopened": _reopened,
    "team_added": _team_added,
    "team_removed": _team_removed,
    # Analysis and response.
    "triangle_added": _triangle(gettext_noop("%(who)s added to the triangle (%(side)s).")),
    "triangle_changed": _triangle(gettext_noop("%(who)s changed an entry of the triangle (%(side)s).")),
    "triangle_removed": _triangle(gettext_noop("%(who)s removed an entry of the triangle (%(side)s).")),
    "hypothesis_added": _said(gettext_noop("%(who)s added a hypothesis.")),
    "hypothesis_tested": _hypothesis_tested,
    "action_added": _said(gettext_noop("%(who)s added a response action.")),
    "action_changed": _said(gettext_noop("%(who)s changed a response action.")),
    "action_done": _said(gettext_noop("%(who)s marked a response action done.")),
    "assessed": _said(gettext_noop("%(who)s assessed the response from the records.")),
    "reassessed": _said(gettext_noop("The assessment was recomputed with the records that arrived since.")),
    # The public summary.
    "summary_saved": _said(gettext_noop("%(who)s wrote the public summary.")),
    "summary_submitted": _said(gettext_noop("%(who)s submitted the public summary for review.")),
    "summary_published": _said(gettext_noop("%(who)s approved and published the public summary.")),
    "summary_returned": _said(gettext_noop("%(who)s returned the public summary to its writer.")),
    "summary_withdrawn": _said(gettext_noop("%(who)s withdrew the public summary.")),
    # The register of vulnerable persons.
    "recorded": _said(gettext_noop("Recorded by %(who)s.")),
    "reviewed": _said(gettext_noop("Reviewed by %(who)s.")),
    "officer": _owner_officer,
    "citizen_erased": _said(gettext_noop("A citizen's details were erased on their request (%(who)s).")),
}
NOTE_IN_SENTENCE = frozenset({"team_added", "team_removed"})


def history(changes: Iterable[Change]) -> list[Line]:
    """The changes as lines to read, oldest first, as they were given."""
    lines = []
    for change in changes:
        who = str(change.by) if change.by_id else _("the system")
        details = change.details or {}
        text = SENTENCES.get(change.what, _anything)(details, who)
        note = "" if change.what in NOTE_IN_SENTENCE else str(details.get("note") or "")
        lines.append(Line(at=change.at, text=text, note=note))
    return lines
