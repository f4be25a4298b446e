from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cpis.core.contact import phone_field
from cpis.core.forms import InputForm
from cpis.core.widgets import DateInput
from cpis.organisation.models import Language, Municipality, Unit

from . import services
from .models import (
    AgeBand,
    Community,
    Forum,
    ForumKind,
    ForumMember,
    ForumStatus,
    Gender,
    MeetingKind,
    MemberRole,
    SiteStatus,
    TensionLevel,
)

DATE = DateInput()
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


def _any(label: Any) -> list[tuple[str, Any]]:
    return [("", label)]


def _text(limit: int, rows: int = 4) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows, "maxlength": limit})


class PlaceChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        parent = f" · {obj.parent.name}" if getattr(obj, "parent", None) else ""
        return f"{obj.name} ({obj.get_kind_display()}){parent}"


class ForumFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=_any(_("All kinds")) + ForumKind.choices
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=_any(_("Any status")) + ForumStatus.choices
    )
    unit = forms.TypedChoiceField(label=_("Place"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args: Any, units: QuerySet[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = _any(_("All my places")) + [(u.pk, u.name) for u in units]  # type: ignore[attr-defined]


class ForumForm(InputForm):
    input = services.ForumInput
    kind = forms.ChoiceField(label=_("Kind"), choices=ForumKind.choices)
    name = forms.CharField(label=_("Name, as the forum writes it"), max_length=200)
    language = forms.ChoiceField(label=_("Language of the name"), choices=Language.choices)
    unit = PlaceChoiceField(label=_("Place it serves"), queryset=Unit.objects.none())
    municipality = forms.ModelChoiceField(
        label=_("Municipality (optional; the place's own by default)"),
        queryset=Municipality.objects.order_by("name_sq"),
        required=False,
    )
    established_on = forms.DateField(label=_("Established on"), widget=DATE)
    meetings_per_year = forms.IntegerField(
        label=_("Meetings expected per year"), min_value=0, max_value=52, initial=6
    )
    status = forms.ChoiceField(label=_("Status"), choices=ForumStatus.choices, initial=ForumStatus.ACTIVE)

    def __init__(self, *args: Any, places: QuerySet[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = places  # type: ignore[attr-defined]


class MemberForm(InputForm):
    input = services.MemberInput
    name = forms.CharField(label=_("Name"), max_length=200)
    role = forms.ChoiceField(
        label=_("Role in the forum"), choices=MemberRole.choices, initial=MemberRole.MEMBER
    )
    is_leader = forms.BooleanField(label=_("Leads the forum"), required=False)
    community = forms.ChoiceField(label=_("Community"), choices=Community.choices)
    gender = forms.ChoiceField(label=_("Gender"), choices=Gender.choices)
    age_band = forms.ChoiceField(
        label=_("Age"), choices=_any(_("Not recorded")) + AgeBand.choices, required=False
    )
    phone = phone_field(_("Phone"))
    email = forms.EmailField(label=_("E-mail"), required=False)
    consent_to_contact = forms.BooleanField(label=_("Agrees to be contacted by the police"), required=False)
    skills = forms.CharField(
        label=_("Specialised skills (languages, first aid, mediation, trainer…)"),
        required=False,
        max_length=2000,
        widget=_text(2000, 3),
    )
    term_start = forms.DateField(label=_("Member since"), widget=DATE)
    term_end = forms.DateField(
        label=_("Member until (leave empty while serving)"), widget=DATE, required=False
    )

    def __init__(self, *args: Any, with_contact: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not with_contact:
            del self.fields["phone"]
            del self.fields["email"]


class MeetingForm(InputForm):
    input = services.MeetingInput
    kind = forms.ChoiceField(label=_("Kind"), choices=MeetingKind.choices)
    starts_at = forms.DateTimeField(label=_("Date and time"), widget=DATETIME)
    duration_minutes = forms.IntegerField(
        label=_("Duration in minutes"), min_value=15, max_value=720, initial=120
    )
    place = forms.CharField(label=_("Place"), max_length=200)
    agenda = forms.CharField(label=_("Agenda"), required=False, max_length=4000, widget=_text(4000))
    is_public = forms.BooleanField(
        label=_("Open to the public (shown on the citizens' pages and calendar)"), required=False
    )


class MemberChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} ({obj.get_role_display()})"


class HeldForm(forms.Form):
    present = MemberChoiceField(
        label=_("Members present"),
        queryset=ForumMember.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    other_attendees = forms.IntegerField(
        label=_("Other people present"), min_value=0, max_value=10_000, initial=0
    )
    minutes = forms.CharField(label=_("Minutes"), max_length=20_000, widget=_text(20_000, 8))
    decisions = forms.CharField(
        label=_("Decisions (one per line)"), required=False, max_length=20_000, widget=_text(20_000, 4)
    )

    def __init__(self, *args: Any, members: QuerySet[ForumMember], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["present"].queryset = members  # type: ignore[attr-defined]

    def decision_lines(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["decisions"].splitlines() if line.strip()]


class ActionItemForm(forms.Form):
    text = forms.CharField(label=_("What is to be done"), max_length=2000, required=False)
    owner_name = forms.CharField(label=_("Who does it"), max_length=200, required=False)
    due_on = forms.DateField(label=_("Due on"), widget=DATE, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        filled = [bool(data.get(name)) for name in ("text", "owner_name", "due_on")]
        if any(filled) and not all(filled):
            raise forms.ValidationError(_("Give each action item a text, who does it and a due date."))
        return data

    def is_filled(self) -> bool:
        return bool(self.cleaned_data.get("text"))


ActionItemFormSet = forms.formset_factory(ActionItemForm, extra=3, max_num=20, validate_max=True)


class RequiredActionItemForm(ActionItemForm):
    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not data.get("text"):
            raise forms.ValidationError(_("Give each action item a text, who does it and a due date."))
        return data


class NoteForm(forms.Form):
    note = forms.CharField(label=_("Note (optional)"), required=False, max_length=2000)


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Reason (optional)"), required=False, max_length=300)


class DecisionForm(forms.Form):
    text = forms.CharField(label=_("Decision"), max_length=2000, widget=_text(2000, 2))


class ActionFilterForm(forms.Form):
    show = forms.ChoiceField(
        label=_("Show"),
        required=False,
        choices=[
            ("open", _("Open")),
            ("overdue", _("Overdue")),
            ("done", _("Done")),
            ("all", _("All")),
        ],
    )
    unit = forms.TypedChoiceField(label=_("Place"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args: Any, units: QuerySet[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = _any(_("All my places")) + [(u.pk, u.name) for u in units]  # type: ignore[attr-defined]


class SiteFilterForm(ActionFilterForm):
    show = forms.ChoiceField(
        label=_("Status"), required=False, choices=_any(_("Any status")) + SiteStatus.choices
    )


class SiteForm(forms.Form):
    unit = PlaceChoiceField(label=_("Place"), queryset=Unit.objects.none())
    description = forms.CharField(
        label=_("Why an LPSC is needed here"), max_length=2000, widget=_text(2000, 3)
    )
    identified_on = forms.DateField(label=_("Identified on"), widget=DATE)

    def __init__(self, *args: Any, places: QuerySet[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = places  # type: ignore[attr-defined]
        self.fields["identified_on"].initial = timezone.localdate()


class SiteStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=SiteStatus.choices)
    forum = forms.ModelChoiceField(
        label=_("Forum established (for “LPSC established”)"), queryset=Forum.objects.none(), required=False
    )
    note = forms.CharField(label=_("Note (optional)"), required=False, max_length=300)

    def __init__(self, *args: Any, forums: QuerySet[Forum], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["forum"].queryset = forums  # type: ignore[attr-defined]


class TensionForm(forms.Form):
    reported_on = forms.DateField(label=_("Reported on"), widget=DATE)
    level = forms.ChoiceField(label=_("Level of tension"), choices=TensionLevel.choices)
    summary = forms.CharField(label=_("What was reported"), max_length=4000, widget=_text(4000))
    follow_up = forms.CharField(label=_("Follow-up"), required=False, max_length=4000, widget=_text(4000, 3))


class MemberPickField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


class TrainerForm(forms.Form):
    member = MemberPickField(label=_("Member acting as trainer"), queryset=ForumMember.objects.none())
    on = forms.DateField(label=_("Date"), widget=DATE)
    initiative = forms.CharField(label=_("Initiative and venue"), max_length=300)
    audience = forms.CharField(label=_("Audience"), max_length=300)

    def __init__(self, *args: Any, members: QuerySet[ForumMember], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = members  # type: ignore[attr-defined]


class PressReleaseForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(label=_("Text"), max_length=20_000, widget=_text(20_000, 10))
    language = forms.ChoiceField(label=_("Language of the text"), choices=Language.choices)
