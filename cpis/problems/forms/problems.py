"""Forms of the staff workspace of problems: the list's filters, a problem
opened by hand or changed, and the steps on its overview (owner, stage, close,
reopen, team); the Analysis and Response tabs' forms (triangle, routine
activity, hypotheses, actions, the actions list's filters). Their choices come
from the view (selectors); the rules are the services'."""

from collections.abc import Iterable
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.html import conditional_escape, escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from cpis.core.forms import InputForm, long_text
from cpis.core.widgets import DateInput
from cpis.organisation.models import Officer, Unit, UnitKind

from ..models import (
    OPEN_STAGES,
    TECHNIQUE_GROUPS,
    ActionStatus,
    HypothesisStatus,
    MemberKind,
    Outcome,
    Side,
    Stage,
)
from ..selectors import actions as action_selectors
from ..selectors.workspace import OwnerChoice, PlaceChoice
from ..services.actions import ActionInput

EVERY = ("", _("All"))


def place_label(unit: Unit | PlaceChoice) -> str:
    """A sector reads with its station ("Station › Sector"), so that two
    sectors with the same village name stay apart."""
    if unit.kind == UnitKind.SECTOR and unit.parent is not None:
        return f"{unit.parent.name} › {unit.name}"
    return unit.name


def officer_label(officer: Officer | OwnerChoice) -> str:
    return f"{officer.full_name} ({officer.badge_number})" if officer.badge_number else officer.full_name


def _choice(field: forms.Field, choices: Iterable[tuple[Any, Any]]) -> None:
    field.choices = list(choices)  # type: ignore[attr-defined]


def _attrs(attrs: dict[str, Any]) -> str:
    """Attributes as Django's widgets/attrs.html writes them, in their order."""
    return "".join(
        f" {escape(name)}" if value is True else f' {escape(name)}="{conditional_escape(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


class ManySelect(forms.Select):
    """forms.Select for choices by the hundred (the places and owners a national
    role filters the list by): the same HTML, written here instead of through a
    dictionary and a template include per option, which cost about 0.03 ms an
    option — some 45 ms for the 1,400 options of the directorate's filters."""

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        widget = forms.Widget.get_context(self, name, value, attrs)["widget"]  # no options yet
        chosen, selected = set(widget["value"]), False
        parts = [f'<select name="{conditional_escape(name)}"{_attrs(widget["attrs"])}>']
        for group_value, group_label in self.choices:
            grouped = isinstance(group_label, list | tuple)
            if grouped:
                parts.append(f'\n  <optgroup label="{conditional_escape(group_value)}">')
            for option_value, label in group_label if grouped else [(group_value, group_label)]:
                option = "" if option_value is None and not grouped else option_value
                # As Django's optgroups: only the first option with the value is selected.
                here = not selected and str(option) in chosen
                selected |= here
                parts.append(
                    f'\n  <option value="{conditional_escape(option)}"{" selected" if here else ""}>'
                    f"{conditional_escape(label)}</option>\n"
                )
            if grouped:
                parts.append("\n  </optgroup>")
        parts.append("\n</select>")
        return mark_safe("".join(parts))  # noqa: S308 - every value and label escaped above


class FilterForm(forms.Form):
    stage = forms.ChoiceField(label=_("Stage"), required=False)
    outcome = forms.ChoiceField(label=_("Outcome"), required=False)
    unit = forms.TypedChoiceField(
        label=_("Place"), required=False, coerce=int, empty_value=None, widget=ManySelect
    )
    owner = forms.TypedChoiceField(
        label=_("Owner"), required=False, coerce=int, empty_value=None, widget=ManySelect
    )
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    opened_from = forms.DateField(label=_("Opened from"), required=False, widget=DateInput())
    opened_until = forms.DateField(label=_("Opened until"), required=False, widget=DateInput())
    mine = forms.BooleanField(label=_("Only mine"), required=False)

    def __init__(
        self, *args: Any, places: Iterable[PlaceChoice], owners: Iterable[OwnerChoice], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        _choice(self.fields["stage"], [EVERY, ("open", _("Open (any stage)")), *Stage.choices])
        _choice(self.fields["outcome"], [EVERY, *Outcome.choices])
        _choice(self.fields["unit"], [("", _("All my places")), *[(u.pk, place_label(u)) for u in places]])
        _choice(self.fields["owner"], [EVERY, *[(o.pk, officer_label(o)) for o in owners]])


class ProblemForm(forms.Form):
    """What the problem is: its title, description and categories."""

    title = forms.CharField(label=_("Title"), max_length=200)
    description = long_text(_("Description"), limit=10_000, rows=5, required=False)
    incident_categories = forms.TypedMultipleChoiceField(
        label=_("Incident categories"), required=False, coerce=int, widget=forms.CheckboxSelectMultiple
    )
    concern_categories = forms.TypedMultipleChoiceField(
        label=_("Concern categories"), required=False, coerce=int, widget=forms.CheckboxSelectMultiple
    )

    def __init__(
        self, *args: Any, incident_categories: Iterable[Any], concern_categories: Iterable[Any], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        _choice(self.fields["incident_categories"], [(c.pk, c.name) for c in incident_categories])
        _choice(self.fields["concern_categories"], [(c.pk, c.name) for c in concern_categories])


class NewProblemForm(ProblemForm):
    """A problem opened by hand: its place and owner besides."""

    unit = forms.TypedChoiceField(label=_("Place (sector, station or region)"), coerce=int)
    owner = forms.TypedChoiceField(
        label=_("Owner"),
        required=False,
        coerce=int,
        empty_value=None,
        help_text=_("Left empty, the problem is yours if you serve at its station."),
    )

    field_order = ["unit", "title", "description", "incident_categories", "concern_categories", "owner"]

    def __init__(self, *args: Any, places: Iterable[Unit], owners: Iterable[Officer], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choice(self.fields["unit"], [(u.pk, place_label(u)) for u in places])
        _choice(self.fields["owner"], [("", "—"), *[(o.pk, officer_label(o)) for o in owners]])


class OwnerForm(forms.Form):
    owner = forms.TypedChoiceField(label=_("Owner"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args: Any, owners: Iterable[Officer], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choice(self.fields["owner"], [("", _("Nobody")), *[(o.pk, officer_label(o)) for o in owners]])


class StageForm(forms.Form):
    stage = forms.ChoiceField(label=_("Stage"), choices=[(s.value, s.label) for s in OPEN_STAGES])
    note = long_text(_("Note (optional)"), limit=2000, rows=2, required=False)


class CloseForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=[("", "—"), *Outcome.choices])
    reason = long_text(_("Reason"), limit=10_000, rows=3, required=False)
    reason.help_text = _("Needed for “solved” or “reduced” when no assessment is on record.")


class ReopenForm(forms.Form):
    note = long_text(_("Why reopen it? (optional)"), limit=2000, rows=2, required=False)


class TeamMemberForm(forms.Form):
    """Who joins the team: an officer, a partner, a forum, or a named citizen
    with the date of their consent."""

    kind = forms.ChoiceField(label=_("Who joins"), choices=MemberKind.choices, widget=forms.RadioSelect)
    officer = forms.TypedChoiceField(label=_("Officer"), required=False, coerce=int, empty_value=None)
    partner = forms.TypedChoiceField(label=_("Partner"), required=False, coerce=int, empty_value=None)
    forum = forms.TypedChoiceField(label=_("Forum"), required=False, coerce=int, empty_value=None)
    citizen_name = forms.CharField(label=_("Citizen's name"), required=False, max_length=200)
    citizen_contact = forms.CharField(label=_("Citizen's phone or e-mail"), required=False, max_length=200)
    consent_on = forms.DateField(label=_("Consent given on"), required=False, widget=DateInput())
    role = forms.CharField(label=_("Role in the team (optional)"), required=False, max_length=200)

    def __init__(
        self,
        *args: Any,
        officers: Iterable[Officer],
        partners: Iterable[Any],
        forums: Iterable[Any],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        _choice(self.fields["officer"], [("", "—"), *[(o.pk, officer_label(o)) for o in officers]])
        _choice(self.fields["partner"], [("", "—"), *[(p.pk, p.name) for p in partners]])
        _choice(self.fields["forum"], [("", "—"), *[(f.pk, f.name) for f in forums]])


# --- analysis and response ---


class TriangleEntryForm(forms.Form):
    side = forms.ChoiceField(
        label=_("Side of the triangle"),
        choices=Side.choices,
        help_text=_(
            "A victim or target has a guardian, an offender a handler, a place a manager: "
            "the people who could protect, influence or change them."
        ),
    )
    description = long_text(_("Who or what"), 4000)
    controller = long_text(_("Who controls it (guardian, handler or manager)"), 4000, required=False)


class RoutineActivityForm(forms.Form):
    text = long_text(
        _("Routine activity"),
        10_000,
        rows=6,
        required=False,
    )
    text.help_text = _(
        "How do a likely offender and a suitable target come together at this place, when, "
        "and why is no capable guardian there?"
    )


class HypothesisForm(forms.Form):
    text = long_text(_("Hypothesis"), 4000, rows=2)


class HypothesisTestForm(forms.Form):
    status = forms.ChoiceField(label=_("What the data shows"), choices=HypothesisStatus.choices)
    evidence = long_text(_("Evidence"), 4000, rows=2, required=False)


def _technique_choices() -> list[tuple[Any, Any]]:
    """The 25 techniques in their five groups, for a select with option groups."""
    return [
        ("", "—"),
        *[(group, [(t.value, t.label) for t in techniques]) for group, techniques in TECHNIQUE_GROUPS],
    ]


class ActionForm(InputForm):
    """An action: the owner and the forum offered with the problem's team first."""

    input = ActionInput

    title = forms.CharField(label=_("What is to be done"), max_length=300)
    description = long_text(_("Details"), 10_000, required=False)
    technique = forms.ChoiceField(label=_("Situational crime-prevention technique"))
    owner = forms.ChoiceField(label=_("Owner"))
    forum = forms.TypedChoiceField(label=_("Forum (optional)"), coerce=int, empty_value=None, required=False)
    due_on = forms.DateField(label=_("Due on"), widget=DateInput())
    status = forms.ChoiceField(label=_("Status"), choices=ActionStatus.choices, initial=ActionStatus.PLANNED)
    done_on = forms.DateField(label=_("Done on (when done)"), required=False, widget=DateInput())
    evidence = long_text(_("Evidence (when done)"), 10_000, required=False)

    def __init__(self, *args: Any, choices: action_selectors.Choices, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.choices = choices
        self.fields["technique"].choices = _technique_choices()  # type: ignore[attr-defined]
        team = [
            *[(f"officer:{o.pk}", officer_label(o)) for o in choices.team_officers],
            *[(f"partner:{p.pk}", str(p)) for p in choices.team_partners],
        ]
        groups: list[tuple[Any, Any]] = [("", "—")]
        if team:
            groups.append((_("The problem's team"), team))
        if choices.officers:
            groups.append(
                (
                    _("Officers of the station"),
                    [(f"officer:{o.pk}", officer_label(o)) for o in choices.officers],
                )
            )
        if choices.partners:
            groups.append(
                (_("Partners of the place"), [(f"partner:{p.pk}", str(p)) for p in choices.partners])
            )
        self.fields["owner"].choices = groups  # type: ignore[attr-defined]
        forum_groups: list[tuple[Any, Any]] = [("", _("No forum"))]
        if choices.team_forums:
            forum_groups.append((_("The problem's team"), [(f.pk, str(f)) for f in choices.team_forums]))
        if choices.forums:
            forum_groups.append((_("Forums of the place"), [(f.pk, str(f)) for f in choices.forums]))
        self.fields["forum"].choices = forum_groups  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind, _sep, number = (data.get("owner") or "").partition(":")
        pk = int(number) if number.isdigit() else None
        data["owner_officer"] = self.choices.officer(pk) if kind == "officer" else None
        data["owner_partner"] = self.choices.partner(pk) if kind == "partner" else None
        data["forum"] = self.choices.forum(data.get("forum"))
        return data


def action_initial(action: Any) -> dict[str, Any]:
    """An action's form filled from the action."""
    owner = (
        f"officer:{action.owner_officer_id}"
        if action.owner_officer_id
        else f"partner:{action.owner_partner_id}"
    )
    return {
        "title": action.title,
        "description": action.description,
        "technique": action.technique,
        "owner": owner,
        "forum": action.forum_id,
        "due_on": action.due_on,
        "status": action.status,
        "done_on": action.done_on,
        "evidence": action.evidence,
    }


class CompleteActionForm(forms.Form):
    done_on = forms.DateField(label=_("Done on"), widget=DateInput())
    evidence = long_text(_("Evidence that it was done"), 10_000, rows=2)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["done_on"].initial = timezone.localdate()


class ActionFilterForm(forms.Form):
    mine = forms.BooleanField(label=_("Only mine"), required=False)
    place = forms.TypedChoiceField(label=_("Place"), coerce=int, empty_value=None, required=False)
    status = forms.ChoiceField(label=_("Status"), required=False)
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)

    def __init__(self, *args: Any, places: list[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["place"].choices = [  # type: ignore[attr-defined]
            ("", _("All my places")),
            *[(u.pk, place_label(u)) for u in places],
        ]
        self.fields["status"].choices = [  # type: ignore[attr-defined]
            (action_selectors.OPEN, _("Open (planned or in progress)")),
            *ActionStatus.choices,
            (action_selectors.EVERY, _("Every status")),
        ]
