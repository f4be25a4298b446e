from collections.abc import Iterable
from datetime import date
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cpis.core.forms import long_text
from cpis.core.widgets import DateInput
from cpis.organisation.models import Officer, Rank, Unit

from .models import SCALE, Criterion

SCORES = [("", "—"), *((str(n), str(n)) for n in SCALE)]


def last_year() -> tuple[date, date]:
    year = timezone.localdate().year - 1
    return date(year, 1, 1), date(year, 12, 31)


class StartForm(forms.Form):
    officer = forms.ModelChoiceField(label=_("Officer"), queryset=Officer.objects.none())
    period_start = forms.DateField(label=_("Period from"), widget=DateInput)
    period_end = forms.DateField(label=_("Period to"), widget=DateInput)

    def __init__(self, *args: Any, officers: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["officer"].queryset = officers  # type: ignore[attr-defined]


class RatingsForm(forms.Form):
    """A score (1–5) and a comment per criterion, and the overall comment."""

    comment = long_text(_("Overall comment"), rows=3, required=False)

    def __init__(self, *args: Any, criteria: Iterable[Criterion], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.codes = []
        for criterion in criteria:
            self.codes.append(criterion.code)
            self.fields[f"score_{criterion.code}"] = forms.TypedChoiceField(
                label=criterion.label, choices=SCORES, coerce=int, empty_value=None, required=False,
                widget=forms.RadioSelect,
            )  # fmt: skip
            self.fields[f"comment_{criterion.code}"] = long_text(_("Comment"), rows=2, required=False)

    def ratings(self) -> dict[str, tuple[int | None, str]]:
        data = self.cleaned_data
        return {code: (data[f"score_{code}"], data[f"comment_{code}"]) for code in self.codes}


class AcknowledgeForm(forms.Form):
    comment = long_text(_("Your comment (optional)"), rows=3, required=False)


class AppealForm(forms.Form):
    reasons = long_text(_("Why you appeal"), rows=4)


class DecideForm(forms.Form):
    """The appeal reviewer's rating of each criterion (the supervisor's, unless changed)."""

    reason = long_text(_("Reason for the decision"), rows=3)

    def __init__(self, *args: Any, criteria: Iterable[Criterion], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.codes = []
        for criterion in criteria:
            self.codes.append(criterion.code)
            self.fields[f"score_{criterion.code}"] = forms.TypedChoiceField(
                label=criterion.label, choices=SCORES[1:], coerce=int
            )

    def ratings(self) -> dict[str, int]:
        return {code: self.cleaned_data[f"score_{code}"] for code in self.codes}


class EvaluationFormForm(forms.Form):
    code = forms.SlugField(label=_("Code"), max_length=40)
    name_sq = forms.CharField(label=_("Name (Albanian)"), max_length=200)
    name_sr = forms.CharField(label=_("Name (Serbian, Cyrillic)"), max_length=200, required=False)
    name_en = forms.CharField(label=_("Name (English)"), max_length=200, required=False)
    ranks = forms.MultipleChoiceField(
        label=_("Ranks evaluated on it"), choices=Rank.choices, widget=forms.CheckboxSelectMultiple
    )


class VersionForm(forms.Form):
    note = forms.CharField(label=_("What changes in this version"), max_length=300, required=False)


def _anchor_field(label: Any) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        help_text=_("Five lines: what 1, 2, 3, 4 and 5 mean."),
        widget=forms.Textarea(attrs={"rows": 5}),
    )


class CriterionForm(forms.Form):
    code = forms.SlugField(label=_("Code"), max_length=40)
    label_sq = forms.CharField(label=_("Label (Albanian)"), max_length=200)
    label_sr = forms.CharField(label=_("Label (Serbian, Cyrillic)"), max_length=200, required=False)
    label_en = forms.CharField(label=_("Label (English)"), max_length=200, required=False)
    description_sq = long_text(_("Description (Albanian)"), rows=2, required=False)
    description_sr = long_text(_("Description (Serbian, Cyrillic)"), rows=2, required=False)
    description_en = long_text(_("Description (English)"), rows=2, required=False)
    weight = forms.IntegerField(label=_("Weight (of 100)"), min_value=1, max_value=100)
    is_community_policing = forms.BooleanField(label=_("Community-policing criterion"), required=False)
    evidence_keys = forms.MultipleChoiceField(
        label=_("Evidence from the officer's record"), required=False, widget=forms.CheckboxSelectMultiple
    )
    anchors_sq = _anchor_field(_("Scale anchors (Albanian)"))
    anchors_sr = _anchor_field(_("Scale anchors (Serbian, Cyrillic)"))
    anchors_en = _anchor_field(_("Scale anchors (English)"))

    def __init__(self, *args: Any, evidence: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["evidence_keys"].choices = evidence  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for language in ("sq", "sr", "en"):
            lines = [
                line.strip() for line in (data.get(f"anchors_{language}") or "").splitlines() if line.strip()
            ]
            if lines and len(lines) != len(SCALE):
                self.add_error(f"anchors_{language}", _("Write five lines, one for each point from 1 to 5."))
        return data

    def service_input(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        anchors = {}
        for language in ("sq", "sr", "en"):
            lines = [
                line.strip() for line in data.pop(f"anchors_{language}", "").splitlines() if line.strip()
            ]
            if lines:
                anchors[language] = lines
        return data | {"anchors": anchors or None}

    @staticmethod
    def initial_for(criterion: Criterion) -> dict[str, Any]:
        fields = (
            "code", "label_sq", "label_sr", "label_en", "description_sq", "description_sr", "description_en",
            "weight", "is_community_policing", "evidence_keys",
        )  # fmt: skip
        initial = {name: getattr(criterion, name) for name in fields}
        for language in ("sq", "sr", "en"):
            initial[f"anchors_{language}"] = "\n".join(criterion.anchors.get(language, []))
        return initial


class PromotionForm(forms.Form):
    rank = forms.ChoiceField(label=_("Rank"), choices=Rank.choices)
    region = forms.ModelChoiceField(label=_("Region"), queryset=Unit.objects.none())

    def __init__(self, *args: Any, regions: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = regions  # type: ignore[attr-defined]
