from collections.abc import Iterable
from datetime import date
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cpis.core.forms import long_text
from cpis.core.periods import Period, half_years, parse_label
from cpis.organisation.models import Officer, Settlement, Unit, UnitKind

from .models import MAX_AUDIENCE, TOPIC_KINDS, Kind, Topic

FIRST_YEAR = 2012  # the strategy's first year


def place_label(unit: Unit) -> str:
    """A sector reads with its station ("Station › Sector"), so that two
    sectors with the same village name stay apart."""
    if unit.kind == UnitKind.SECTOR and unit.parent is not None:
        return f"{unit.parent.name} › {unit.name}"
    return unit.name


def period_choices(today: date | None = None) -> list[tuple[str, str]]:
    """Whole years and half-years since the strategy began, newest first."""
    today = today or timezone.localdate()
    choices: list[tuple[str, str]] = []
    for year in range(today.year, FIRST_YEAR - 1, -1):
        choices.append((str(year), str(year)))
        for half in reversed(half_years(date(year, 1, 1), min(date(year, 12, 31), today))):
            choices.append((half.label, half.label))
    return choices


def parse_period(value: str) -> Period | None:
    """'2014' or '2014 H1' → the period; None for anything else."""
    value = (value or "").strip()
    if value.isascii() and value.isdigit() and len(value) == 4:
        return Period(date(int(value), 1, 1), date(int(value), 12, 31))
    try:
        return parse_label(value)
    except ValueError:
        return None


class FilterForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    topic = forms.ChoiceField(label=_("Topic"), required=False)
    period = forms.ChoiceField(label=_("Period"), required=False)
    unit = forms.TypedChoiceField(label=_("Place"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args: Any, units: Iterable[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        every = ("", _("All"))
        self.fields["kind"].choices = [every, *Kind.choices]  # type: ignore[attr-defined]
        self.fields["topic"].choices = [every, *Topic.choices]  # type: ignore[attr-defined]
        self.fields["period"].choices = [every, *period_choices()]  # type: ignore[attr-defined]
        self.fields["unit"].choices = [  # type: ignore[attr-defined]
            ("", _("All my places")),
            *[(u.pk, place_label(u)) for u in units],
        ]


class ActivityForm(forms.Form):
    """One phone screen: what, when, where, how many, who."""

    kind = forms.ChoiceField(label=_("What was it?"), choices=Kind.choices, widget=forms.RadioSelect)
    topic = forms.ChoiceField(
        label=_("Topic (lectures and campaigns)"),
        choices=Topic.choices,
        required=False,
        widget=forms.RadioSelect,
    )
    happened_on = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    unit = forms.TypedChoiceField(label=_("Sector or station"), coerce=int)
    place = forms.CharField(
        label=_("Place (school, village, venue)"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    settlement = forms.TypedChoiceField(
        label=_("Settlement (optional)"), required=False, coerce=int, empty_value=None
    )
    audience = forms.IntegerField(
        label=_("Audience"),
        help_text=_("People present; 0 if not known."),
        min_value=0,
        max_value=MAX_AUDIENCE,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "pattern": "[0-9]*", "min": 0}),
    )
    officers = forms.TypedMultipleChoiceField(
        label=_("Officers who took part"), required=False, coerce=int, widget=forms.CheckboxSelectMultiple
    )
    notes = long_text(_("Notes (optional)"), rows=2, required=False)

    def __init__(
        self,
        *args: Any,
        places: Iterable[Unit],
        officers: Iterable[Officer],
        settlements: Iterable[Settlement],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [(u.pk, place_label(u)) for u in places]  # type: ignore[attr-defined]
        self.fields["officers"].choices = [  # type: ignore[attr-defined]
            (o.pk, f"{o.full_name} ({o.badge_number})") for o in officers
        ]
        groups: dict[str, list[tuple[int, str]]] = {}
        for settlement in settlements:
            groups.setdefault(settlement.municipality.name, []).append((settlement.pk, settlement.name))
        self.fields["settlement"].choices = [("", "—"), *groups.items()]  # type: ignore[attr-defined]
        self.fields["happened_on"].widget.attrs["max"] = timezone.localdate().isoformat()
        self.topic_kinds = " ".join(sorted(TOPIC_KINDS))
