from collections.abc import Iterable
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from cpis.core.widgets import DateInput
from cpis.organisation.models import Unit

from .models import Level, NeedStatus, Programme, Trainer

ORGANISATIONS = ["Policia e Kosovës", "OSCE", "ICITAP", "Akademia e Kosovës për Siguri Publike"]


def _unit_choices(units: Iterable[Unit]) -> list[tuple[int, str]]:
    return [(u.pk, u.name) for u in units]


class TrainerForm(forms.Form):
    badge_number = forms.CharField(
        label=_("Officer's badge number (for one of our officers)"), required=False, max_length=20
    )
    name = forms.CharField(label=_("Name (for an external trainer)"), required=False, max_length=200)
    organisation = forms.CharField(
        label=_("Organisation"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"list": "organisations"}),
    )
    areas = forms.CharField(label=_("Areas taught"), required=False, max_length=300)
    certified_on = forms.DateField(label=_("Prepared as a trainer on"), required=False, widget=DateInput())


class TrainerEditForm(forms.Form):
    name = forms.CharField(label=_("Name (for an external trainer)"), required=False, max_length=200)
    organisation = forms.CharField(label=_("Organisation"), required=False, max_length=200)
    areas = forms.CharField(label=_("Areas taught"), required=False, max_length=300)
    certified_on = forms.DateField(label=_("Prepared as a trainer on"), required=False, widget=DateInput())
    active = forms.BooleanField(label=_("Active"), required=False)


class ProgrammeForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    level = forms.ChoiceField(label=_("Level"), choices=Level.choices)
    description = forms.CharField(
        label=_("Description"), required=False, max_length=8000, widget=forms.Textarea(attrs={"rows": 3})
    )
    approved_on = forms.DateField(
        label=_("Approved on (leave empty while it is a draft)"),
        required=False,
        widget=DateInput(),
    )


class ModuleForm(forms.Form):
    title = forms.CharField(label=_("Module title"), max_length=200)
    hours = forms.IntegerField(
        label=_("Hours"), min_value=1, max_value=500, widget=forms.NumberInput(attrs={"inputmode": "numeric"})
    )


class CourseForm(forms.Form):
    programme = forms.TypedChoiceField(label=_("Programme"), coerce=int)
    unit = forms.TypedChoiceField(label=_("Organised by"), coerce=int)
    starts_on = forms.DateField(label=_("Starts on"), widget=DateInput())
    ends_on = forms.DateField(label=_("Ends on"), widget=DateInput())
    place = forms.CharField(label=_("Place"), required=False, max_length=200)
    trainers = forms.TypedMultipleChoiceField(
        label=_("Trainers"), required=False, coerce=int, widget=forms.CheckboxSelectMultiple
    )

    def __init__(
        self,
        *args: Any,
        programmes: Iterable[Programme],
        units: Iterable[Unit],
        trainers: Iterable[Trainer],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["programme"].choices = [(p.pk, p.title) for p in programmes]  # type: ignore[attr-defined]
        self.fields["unit"].choices = _unit_choices(units)  # type: ignore[attr-defined]
        self.fields["trainers"].choices = [  # type: ignore[attr-defined]
            (t.pk, f"{t.display_name} ({t.organisation})" if t.organisation else t.display_name)
            for t in trainers
        ]


class BadgesForm(forms.Form):
    badges = forms.CharField(
        label=_("Badge numbers (one per line, or separated by commas)"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3, "autocapitalize": "characters"}),
    )


class AttendanceForm(forms.Form):
    completed = forms.TypedMultipleChoiceField(
        label=_("Completed the course"), required=False, coerce=int, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, officer_ids: Iterable[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["completed"].choices = [(i, str(i)) for i in officer_ids]  # type: ignore[attr-defined]


class VisitForm(forms.Form):
    country = forms.CharField(label=_("Country"), max_length=100)
    city = forms.CharField(label=_("City"), required=False, max_length=100)
    starts_on = forms.DateField(label=_("From"), widget=DateInput())
    ends_on = forms.DateField(label=_("To"), widget=DateInput())
    purpose = forms.CharField(label=_("Purpose"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))
    feedback = forms.CharField(
        label=_("Feedback given to officers"),
        required=False,
        max_length=8000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class ReportForm(forms.Form):
    report = forms.FileField(
        label=_("Report (PDF, at most 10 MB)"), widget=forms.FileInput(attrs={"accept": ".pdf"})
    )


class NeedForm(forms.Form):
    unit = forms.TypedChoiceField(label=_("Unit"), coerce=int)
    description = forms.CharField(
        label=_("Training need"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )
    identified_on = forms.DateField(label=_("Identified on"), widget=DateInput())

    def __init__(self, *args: Any, units: Iterable[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = _unit_choices(units)  # type: ignore[attr-defined]


class NeedStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=NeedStatus.choices)
    programme = forms.TypedChoiceField(
        label=_("Addressed by programme"), required=False, coerce=int, empty_value=None
    )

    def __init__(self, *args: Any, programmes: Iterable[Programme], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["programme"].choices = [("", "—"), *[(p.pk, p.title) for p in programmes]]  # type: ignore[attr-defined]


class CourseFilterForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Year"), required=False, coerce=int, empty_value=None)
    programme = forms.TypedChoiceField(label=_("Programme"), required=False, coerce=int, empty_value=None)

    def __init__(
        self, *args: Any, years: Iterable[int], programmes: Iterable[Programme], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", _("All")), *[(y, str(y)) for y in years]]  # type: ignore[attr-defined]
        self.fields["programme"].choices = [("", _("All")), *[(p.pk, p.title) for p in programmes]]  # type: ignore[attr-defined]


class OfficerSearchForm(forms.Form):
    q = forms.CharField(label=_("Name or badge number"), max_length=100, required=False)
