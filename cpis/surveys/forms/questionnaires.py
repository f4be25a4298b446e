"""Forms of the questionnaire builder: a new questionnaire, a draft's title and
introduction, a question, an option, and the language of a preview. Every text
is asked in Albanian, Serbian (Cyrillic) and English; the services check them
again."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from cpis.core.forms import InputForm, as_input, long_text

from ..models import Purpose, QuestionKind
from ..services.questionnaires import OptionInput, QuestionInput, QuestionnaireInput, VersionInput

CODE_HELP = _("Lower-case letters, digits, hyphens or underscores, starting with a letter.")


class VersionForm(InputForm):
    input = VersionInput

    title_sq = forms.CharField(label=_("Title (Albanian)"), max_length=200)
    title_sr = forms.CharField(label=_("Title (Serbian, Cyrillic)"), max_length=200)
    title_en = forms.CharField(label=_("Title (English)"), max_length=200)
    intro_sq = long_text(_("Introduction (Albanian)"), 4000, required=False)
    intro_sr = long_text(_("Introduction (Serbian, Cyrillic)"), 4000, required=False)
    intro_en = long_text(_("Introduction (English)"), 4000, required=False)


class QuestionnaireForm(VersionForm):
    """A new questionnaire: its code, purpose and name, and its first draft's title."""

    code = forms.SlugField(label=_("Code"), max_length=40, help_text=CODE_HELP)
    purpose = forms.ChoiceField(label=_("Purpose"), choices=Purpose.choices)
    name_sq = forms.CharField(label=_("Name (Albanian)"), max_length=200)
    name_sr = forms.CharField(label=_("Name (Serbian, Cyrillic)"), max_length=200)
    name_en = forms.CharField(label=_("Name (English)"), max_length=200)

    field_order = ["code", "purpose", "name_sq", "name_sr", "name_en"]

    def service_input(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {"data": as_input(QuestionnaireInput, data), "version": as_input(VersionInput, data)}


class QuestionForm(InputForm):
    input = QuestionInput

    code = forms.SlugField(
        label=_("Code"),
        max_length=40,
        help_text=_(
            "How the answers are stored and compared between waves: it stays the same in every version. "
            "Lower-case letters, digits, hyphens or underscores."
        ),
    )
    kind = forms.ChoiceField(label=_("Kind of answer"), choices=QuestionKind.choices)
    text_sq = forms.CharField(label=_("Question (Albanian)"), max_length=300)
    text_sr = forms.CharField(label=_("Question (Serbian, Cyrillic)"), max_length=300)
    text_en = forms.CharField(label=_("Question (English)"), max_length=300)
    required = forms.BooleanField(label=_("An answer is required"), required=False)


class OptionForm(InputForm):
    input = OptionInput

    code = forms.SlugField(label=_("Code"), max_length=40, help_text=CODE_HELP)
    label_sq = forms.CharField(label=_("Label (Albanian)"), max_length=200)
    label_sr = forms.CharField(label=_("Label (Serbian, Cyrillic)"), max_length=200)
    label_en = forms.CharField(label=_("Label (English)"), max_length=200)


PREVIEW_LANGUAGES = [
    ("sq", _("Albanian")),
    ("sr", _("Serbian (Cyrillic)")),
    ("sr-latn", _("Serbian (Latin)")),
    ("en", _("English")),
]


class PreviewForm(forms.Form):
    lang = forms.ChoiceField(label=_("Language"), choices=PREVIEW_LANGUAGES, initial="sq")

    def language(self) -> str:
        return self.cleaned_data["lang"] if self.is_valid() else "sq"
