from datetime import date, datetime, time, timedelta
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cpis.accounts.models import Outcome, Purpose
from cpis.core.periods import check_year
from cpis.core.widgets import DateInput

from ..selectors.audit import REFUSALS, AuditFilters

# The record-type choice for entries about no particular record (a refusal
# by role): the empty value means "any type".
NO_RECORD = "-"


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self) -> None:
        super().__init__(format="%H:%M")


class AuditFilterForm(forms.Form):
    reader = forms.CharField(
        label=_("Reader"),
        required=False,
        max_length=150,
        help_text=_("A username, or part of a name"),
        widget=forms.TextInput(attrs={"list": "audit-readers", "autocomplete": "off"}),
    )
    subject_type = forms.ChoiceField(label=_("Record type"), required=False)
    subject_id = forms.CharField(label=_("Record number"), required=False, max_length=64)
    since = forms.DateField(label=_("From"), required=False, widget=DateInput())
    since_time = forms.TimeField(label=_("From (time)"), required=False, widget=TimeInput())
    until = forms.DateField(label=_("To"), required=False, widget=DateInput())
    until_time = forms.TimeField(label=_("To (time)"), required=False, widget=TimeInput())
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        required=False,
        choices=[("", _("All")), (REFUSALS, _("Refused, either way")), *Outcome.choices],
    )
    purpose = forms.ChoiceField(
        label=_("Purpose"), required=False, choices=[("", _("All")), *Purpose.choices]
    )

    def __init__(self, *args: Any, record_types: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["subject_type"].choices = [  # type: ignore[attr-defined]
            ("", _("All")),
            *[(value or NO_RECORD, label) for value, label in record_types],
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name in ("since", "until"):
            day = data.get(name)
            if day is not None:
                try:
                    check_year(day.year)
                except ValueError as exc:
                    self.add_error(name, str(exc))
        start, end = _moment(data.get("since"), data.get("since_time")), _end(data)
        if start and end and start >= end:
            self.add_error("until", _("The end of the period must come after its start."))
        return data

    def filters(self, *, default: tuple[datetime, datetime]) -> AuditFilters:
        """The filters of a valid form; the `default` period where none is
        given, and nothing else for an invalid one."""
        if not self.is_valid():
            return AuditFilters(start=default[0], end=default[1])
        data = self.cleaned_data
        value = data["subject_type"]
        return AuditFilters(
            start=_moment(data["since"], data["since_time"]) or default[0],
            end=_end(data) or default[1],
            reader=data["reader"].strip(),
            subject_type=None if not value else "" if value == NO_RECORD else value,
            subject_id=data["subject_id"].strip(),
            outcome=data["outcome"],
            purpose=data["purpose"],
        )


def _moment(day: date | None, at: time | None) -> datetime | None:
    return None if day is None else timezone.make_aware(datetime.combine(day, at or time.min))


def _end(data: dict[str, Any]) -> datetime | None:
    """The end of the period, excluded: the minute after the time given, or
    the midnight after the last day."""
    day, at = data.get("until"), data.get("until_time")
    if day is None:
        return None
    if at is None:
        return timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))
    return timezone.make_aware(datetime.combine(day, at.replace(second=0, microsecond=0))) + timedelta(
        minutes=1
    )
