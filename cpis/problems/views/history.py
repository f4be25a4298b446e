"""A problem's history in words. Each kind of change the services record
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

from ..models import Change, MemberKind, Outcome, Problem, SourceKind, Stage


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
