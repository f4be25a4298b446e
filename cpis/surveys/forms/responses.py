"""Forms for answering a questionnaire (the portal, the after-concern link,
an officer's phone), for choosing where a response is taken, for the
reviewers' decisions and for the paper workbook. The services check the
answers; these forms only shape them."""

import uuid
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any, Self

from django import forms
from django.conf import settings
from django.core import signing
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from cpis.core.errors import DomainError
from cpis.core.forms import long_text

from ..models import AgeBand, Channel, Community, Gender, Question, QuestionKind
from ..services.responses import MAX_TEXT, AnswersInvalid

PREFIX = "q_"
STARTED_SALT = "cpis.surveys.started"
STARTED_MAX_AGE = timedelta(days=2)

AGREE5 = [
    (1, _("Strongly disagree")),
    (2, _("Disagree")),
    (3, _("Neither agree nor disagree")),
    (4, _("Agree")),
    (5, _("Strongly agree")),
]
YESNO = [(1, _("Yes")), (0, _("No"))]
NO_ANSWER = ("", _("No answer"))
NOT_SAID = ("", _("Prefer not to say"))
STAFF_CHANNELS = [
    (Channel.DOOR, Channel.DOOR.label),
    (Channel.MEETING, Channel.MEETING.label),
    (Channel.OUTREACH, Channel.OUTREACH.label),
]


def stamp() -> str:
    """When the form was shown, signed, so the time taken can be trusted."""
    return signing.dumps(timezone.now().timestamp(), salt=STARTED_SALT)


def _int(value: Any) -> int:
    return int(value)


def _question_field(question: Question) -> forms.Field:
    label = question.text
    required = question.required
    kind = question.kind
    if kind == QuestionKind.TEXT:
        return long_text(label, MAX_TEXT, rows=4, required=required)
    if kind == QuestionKind.MULTIPLE:
        return forms.MultipleChoiceField(
            label=label,
            required=required,
            choices=[(option.code, option.label) for option in question.options.all()],
            widget=forms.CheckboxSelectMultiple,
        )
    choices: list[tuple[Any, Any]]
    if kind == QuestionKind.AGREE5:
        choices = list(AGREE5)
    elif kind == QuestionKind.SCORE10:
        choices = [(n, str(n)) for n in range(11)]
    elif kind == QuestionKind.YESNO:
        choices = list(YESNO)
    else:
        choices = [(option.code, option.label) for option in question.options.all()]
    if not required:
        choices.append(NO_ANSWER)
    if kind == QuestionKind.SINGLE:
        return forms.ChoiceField(label=label, required=required, choices=choices, widget=forms.RadioSelect)
    return forms.TypedChoiceField(
        label=label,
        required=required,
        choices=choices,
        coerce=_int,
        empty_value=None,
        widget=forms.RadioSelect,
    )


class AnswersForm(forms.Form):
    """The questions of a version (fields `q_<code>`), the optional
    background, the page's one-time submission key and when it was shown."""

    community = forms.ChoiceField(label=_("Community"), required=False)
    gender = forms.ChoiceField(label=_("Gender"), required=False)
    age_band = forms.ChoiceField(label=_("Age"), required=False)
    municipality = forms.TypedChoiceField(
        label=_("Municipality where you live"), required=False, coerce=int, empty_value=None
    )
    submission_key = forms.CharField(widget=forms.HiddenInput, max_length=100)
    started = forms.CharField(widget=forms.HiddenInput, required=False, max_length=200)

    background_fields = ("community", "gender", "age_band", "municipality")

    def __init__(
        self,
        *args: Any,
        questions: Sequence[Question],
        municipalities: Iterable[Any] = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.questions = list(questions)
        for question in self.questions:
            self.fields[PREFIX + question.code] = _question_field(question)
        self.fields["community"].choices = [NOT_SAID, *Community.choices]  # type: ignore[attr-defined]
        self.fields["gender"].choices = [NOT_SAID, *Gender.choices]  # type: ignore[attr-defined]
        self.fields["age_band"].choices = [NOT_SAID, *AgeBand.choices]  # type: ignore[attr-defined]
        self.fields["municipality"].choices = [  # type: ignore[attr-defined]
            NOT_SAID,
            *((m.pk, m.name) for m in municipalities),
        ]

    @classmethod
    def fresh(cls, **kwargs: Any) -> Self:
        """An empty form with its one-time submission key and the time it is shown."""
        initial = {"submission_key": uuid.uuid4().hex, "started": stamp(), "language": get_language()}
        return cls(initial=initial, **kwargs)

    @classmethod
    def for_request(cls, request: HttpRequest, **kwargs: Any) -> Self:
        """The answers a POST sends, or else an empty form (`fresh`)."""
        return cls(request.POST, **kwargs) if request.method == "POST" else cls.fresh(**kwargs)

    def question_fields(self) -> list[tuple[Question, forms.BoundField]]:
        return [(question, self[PREFIX + question.code]) for question in self.questions]

    def background_bound(self) -> list[forms.BoundField]:
        return [self[name] for name in self.background_fields]

    def answers(self) -> dict[str, Any]:
        """The answers given, keyed by question code (blank ones left out)."""
        found = {}
        for question in self.questions:
            value = self.cleaned_data.get(PREFIX + question.code)
            if value in (None, "", []):
                continue
            found[question.code] = value
        return found

    def background(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "community": data.get("community", ""),
            "gender": data.get("gender", ""),
            "age_band": data.get("age_band", ""),
            "municipality_id": data.get("municipality"),
        }

    def started_at(self) -> datetime | None:
        """When the form was shown: None when too long ago to tell; now (as
        if answered in no time) when the stamp is missing or forged."""
        try:
            seconds = signing.loads(
                self.cleaned_data.get("started", ""), salt=STARTED_SALT, max_age=STARTED_MAX_AGE
            )
        except signing.SignatureExpired:
            return None
        except signing.BadSignature:
            return timezone.now()
        return datetime.fromtimestamp(float(seconds), tz=UTC)

    def show_problems(self, error: AnswersInvalid) -> None:
        """Each problem the service found beside its question (or on the form)."""
        for problem in error.problems:
            name = problem.field if problem.field in self.background_fields else PREFIX + problem.field
            if problem.field == "municipality_id":
                name = "municipality"
            self.add_error(name if name in self.fields else None, problem.message)

    def refuse(self, error: DomainError) -> None:
        """A broken rule on the form: the answers that do not fit beside their
        questions, any other rule as the form's own error."""
        if isinstance(error, AnswersInvalid):
            self.show_problems(error)
        else:
            self.add_error(None, str(error))


class PortalAnswersForm(AnswersForm):
    """A citizen's answers, with the browser's proof of work."""

    pow = forms.CharField(widget=forms.HiddenInput, required=False, max_length=2000)


class CollectAnswersForm(AnswersForm):
    """An officer's entry of a respondent's answers, and the interview's language."""

    language = forms.ChoiceField(label=_("Language of the interview"), choices=settings.LANGUAGES)
    municipality = forms.TypedChoiceField(
        label=_("Municipality where the respondent lives"), required=False, coerce=int, empty_value=None
    )


class EventChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        if hasattr(obj, "forum"):
            return f"{obj.forum.name} · {timezone.localtime(obj.starts_at):%Y-%m-%d}"
        place = f" · {obj.place}" if obj.place else ""
        return f"{obj.get_kind_display()} · {obj.happened_on:%Y-%m-%d}{place}"


class SectorChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} ({obj.parent.name})" if obj.parent_id else str(obj.name)


class CollectSetupForm(forms.Form):
    """Where the officer is taking responses: the wave, the sector, how, and
    the forum meeting or outreach event when it is at one."""

    wave: forms.ModelChoiceField = forms.ModelChoiceField(label=_("Survey"), queryset=None, empty_label=None)
    sector = SectorChoice(label=_("Sector"), queryset=None, empty_label=None)
    channel = forms.ChoiceField(
        label=_("Where"), choices=STAFF_CHANNELS, widget=forms.RadioSelect, initial=Channel.DOOR
    )
    meeting = EventChoice(label=_("Forum meeting"), queryset=None, required=False)
    outreach = EventChoice(label=_("Outreach event"), queryset=None, required=False)

    def __init__(
        self, *args: Any, waves: Any, sectors: Any, meetings: Any, outreach: Any, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["wave"].queryset = waves  # type: ignore[attr-defined]
        self.fields["sector"].queryset = sectors  # type: ignore[attr-defined]
        self.fields["meeting"].queryset = meetings  # type: ignore[attr-defined]
        self.fields["outreach"].queryset = outreach  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        channel = data.get("channel")
        if channel == Channel.MEETING and not data.get("meeting"):
            self.add_error("meeting", _("Choose the forum meeting."))
        if channel == Channel.OUTREACH and not data.get("outreach"):
            self.add_error("outreach", _("Choose the outreach event."))
        return data


class EventForm(forms.Form):
    """The channel and event the answers page was opened for (its query)."""

    channel = forms.ChoiceField(choices=STAFF_CHANNELS)
    meeting = forms.IntegerField(required=False, min_value=1)
    outreach = forms.IntegerField(required=False, min_value=1)


class PlaceSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Village, town or municipality"),
        min_length=2,
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "off", "type": "search"}),
    )


class LocateForm(forms.Form):
    lat = forms.FloatField(min_value=-90, max_value=90, widget=forms.HiddenInput)
    lon = forms.FloatField(min_value=-180, max_value=180, widget=forms.HiddenInput)


class NoteForm(forms.Form):
    note = long_text(_("Note (optional)"), limit=500, rows=2, required=False)


class ReasonForm(forms.Form):
    reason = long_text(_("Reason"), limit=500, rows=2)


class PaperWaveForm(forms.Form):
    wave: forms.ModelChoiceField = forms.ModelChoiceField(label=_("Survey"), queryset=None, empty_label=None)

    def __init__(self, *args: Any, waves: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["wave"].queryset = waves  # type: ignore[attr-defined]


class PaperUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Filled-in workbook (XLSX)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
        help_text=_("The template of this survey, one row per paper questionnaire."),
    )
