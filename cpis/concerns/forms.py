from collections.abc import Mapping
from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from cpis.core.contact import phone_field
from cpis.organisation.models import Officer, Unit

from .models import CLOSED_STATUSES, Channel, Status


def submission_fields(data: Mapping[str, Any]) -> dict[str, Any]:
    """The arguments of `services.submit_concern` that a concern form's
    cleaned data gives (the staff entry form here, the portal's report form)."""
    return {
        "category_code": data["category"],
        "description": data["description"],
        "language": data["language"],
        "lat": data["lat"],
        "lon": data["lon"],
        "place_text": data["place_text"],
        "reporter_name": data["reporter_name"],
        "reporter_email": data["reporter_email"],
        "reporter_phone": data["reporter_phone"],
    }


def _categories() -> list[tuple[str, Any]]:
    from .selectors import list_categories

    return [(c.code, c.name) for c in list_categories()]


class QueueFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False)
    category = forms.ChoiceField(label=_("Category"), required=False)
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)
    unassigned = forms.BooleanField(label=_("Unassigned only"), required=False)
    mine = forms.BooleanField(label=_("Assigned to me"), required=False)
    q = forms.CharField(label=_("Reference or text"), required=False, max_length=100)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [  # type: ignore[attr-defined]
            ("", _("All")),
            ("open", _("Open")),
            *Status.choices,
        ]
        self.fields["category"].choices = [("", _("All")), *_categories()]  # type: ignore[attr-defined]


class TriageForm(forms.Form):
    category = forms.ChoiceField(label=_("Category"))
    sector = forms.ModelChoiceField(label=_("Sector"), queryset=Unit.objects.none(), required=False)
    note = forms.CharField(label=_("Internal note"), required=False, max_length=4000)

    def __init__(self, *args: Any, sectors: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = _categories()  # type: ignore[attr-defined]
        self.fields["sector"].queryset = sectors  # type: ignore[attr-defined]


class AssignForm(forms.Form):
    officer = forms.ModelChoiceField(label=_("Officer"), queryset=Officer.objects.none())
    note = forms.CharField(label=_("Internal note"), required=False, max_length=4000)

    def __init__(self, *args: Any, officers: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["officer"].queryset = officers  # type: ignore[attr-defined]


class BulkAssignForm(forms.Form):
    officer = forms.ModelChoiceField(
        label=_("Assign the selected concerns to"), queryset=Officer.objects.none()
    )
    concerns = forms.TypedMultipleChoiceField(coerce=int, choices=[])

    def __init__(self, *args: Any, officers: Any, concern_ids: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["officer"].queryset = officers  # type: ignore[attr-defined]
        self.fields["concerns"].choices = [(i, i) for i in concern_ids]  # type: ignore[attr-defined]


class TextForm(forms.Form):
    text = forms.CharField(label=_("Text"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))


class CloseForm(forms.Form):
    status = forms.ChoiceField(label=_("Close as"))
    reason = forms.CharField(
        label=_("What the citizen will read"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    duplicate_of = forms.CharField(
        label=_("Reference of the original (for duplicates)"), required=False, max_length=20
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [  # type: ignore[attr-defined]
            (value, label) for value, label in Status.choices if value in CLOSED_STATUSES
        ]


class StaffEntryForm(forms.Form):
    """A concern received by phone, in person or at a forum meeting."""

    channel = forms.ChoiceField(
        label=_("Received"),
        choices=[(c, label) for c, label in Channel.choices if c in {"phone", "in_person", "forum"}],
    )
    category = forms.ChoiceField(label=_("Category"))
    description = forms.CharField(
        label=_("Description, in the citizen's words"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    place_text = forms.CharField(label=_("Place"), required=False, max_length=200)
    lat = forms.FloatField(label=_("Latitude"), required=False, min_value=-90, max_value=90)
    lon = forms.FloatField(label=_("Longitude"), required=False, min_value=-180, max_value=180)
    reporter_name = forms.CharField(label=_("Citizen's name (optional)"), required=False, max_length=200)
    reporter_email = forms.EmailField(label=_("E-mail (optional)"), required=False)
    reporter_phone = phone_field(_("Phone (optional)"))
    language = forms.ChoiceField(label=_("Language for replies"), choices=settings.LANGUAGES)
    submission_key = forms.CharField(widget=forms.HiddenInput, max_length=100)
    meeting = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = _categories()  # type: ignore[attr-defined]


class PublicSummaryForm(forms.Form):
    """The officer's public summary of a concern (services.public)."""

    summary = forms.CharField(
        label=_("Public summary"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "What anyone may read on the public reports map and in Open311: in your own words, "
            "without names, addresses, e-mail addresses or phone numbers."
        ),
    )
    publish_photo = forms.BooleanField(
        label=_("Publish the photo too"),
        required=False,
        help_text=_("Only if it shows no faces, number plates or anything else that identifies a person."),
    )


def _public_categories() -> list[tuple[str, Any]]:
    from .selectors import list_active_public_categories

    return [(c.code, c.name) for c in list_active_public_categories()]


class PublicReportFilterForm(forms.Form):
    """The public reports map's filters."""

    category = forms.ChoiceField(label=_("Category"), required=False)
    sector = forms.TypedChoiceField(label=_("Sector"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args: Any, sectors: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", _("All categories")), *_public_categories()]  # type: ignore[attr-defined]
        self.fields["sector"].choices = [("", _("All sectors")), *((s.pk, s.name) for s in sectors)]  # type: ignore[attr-defined]


class NearbyForm(forms.Form):
    """The category and point a citizen chose on the report form ("me too")."""

    category = forms.CharField(max_length=40)
    lat = forms.FloatField(min_value=-90, max_value=90)
    lon = forms.FloatField(min_value=-180, max_value=180)


class SupportForm(forms.Form):
    """ "Me too": an optional e-mail (so that the same person counts once from
    another browser too) and the proof of work."""

    email = forms.EmailField(label=_("E-mail (optional)"), required=False)
    pow = forms.CharField(widget=forms.HiddenInput, required=False, max_length=2000)
