"""Forms of the staff workspace of problems: the list's filters, a problem
opened by hand or changed, and the steps on its overview (owner, stage, close,
reopen, team). Their choices come from the view (selectors); the rules are
the services'."""

from collections.abc import Iterable
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from cpis.core.forms import long_text
from cpis.core.widgets import DateInput
from cpis.organisation.models import Officer, Unit, UnitKind

from ..models import OPEN_STAGES, MemberKind, Outcome, Stage

EVERY = ("", _("All"))


def place_label(unit: Unit) -> str:
    """A sector reads with its station ("Station › Sector"), so that two
    sectors with the same village name stay apart."""
    if unit.kind == UnitKind.SECTOR and unit.parent is not None:
        return f"{unit.parent.name} › {unit.name}"
    return unit.name


def officer_label(officer: Officer) -> str:
    return f"{officer.full_name} ({officer.badge_number})" if officer.badge_number else officer.full_name


def _choice(field: forms.Field, choices: Iterable[tuple[Any, Any]]) -> None:
    field.choices = list(choices)  # type: ignore[attr-defined]


class FilterForm(forms.Form):
    stage = forms.ChoiceField(label=_("Stage"), required=False)
    outcome = forms.ChoiceField(label=_("Outcome"), required=False)
    unit = forms.TypedChoiceField(label=_("Place"), required=False, coerce=int, empty_value=None)
    owner = forms.TypedChoiceField(label=_("Owner"), required=False, coerce=int, empty_value=None)
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    opened_from = forms.DateField(label=_("Opened from"), required=False, widget=DateInput())
    opened_until = forms.DateField(label=_("Opened until"), required=False, widget=DateInput())
    mine = forms.BooleanField(label=_("Only mine"), required=False)

    def __init__(self, *args: Any, places: Iterable[Unit], owners: Iterable[Officer], **kwargs: Any) -> None:
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
