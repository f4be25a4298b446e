"""Reads of the questionnaires: the list with their versions, one version with
its questions and options, the published version of a questionnaire by its
code (what the portal, the door-step form and a wave use), and a version as a
respondent sees it in one language (the preview, and any form that shows it).

Questionnaires are national: whoever sees survey results somewhere may read
the published and retired versions; drafts are the designers' (the
directorate, at the root of the organisation), 404 to everyone else."""

from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet
from django.utils import translation
from django.utils.translation import gettext as _

from cpis.core.http import one_or_404
from cpis.core.i18n import pick
from cpis.organisation.access import Actor
from cpis.organisation.models import translations
from cpis.organisation.selectors import get_root_unit

from ..models import Option, Question, QuestionKind, Questionnaire, QuestionnaireVersion, VersionStatus
from ..policy import policy

# The kinds of question whose answer is one or more of the question's own options.
CHOICE_KINDS = frozenset({QuestionKind.SINGLE, QuestionKind.MULTIPLE})
# The languages a questionnaire is shown in (Serbian Latin transliterated from the Cyrillic).
LANGUAGES = ("sq", "sr", "sr-latn", "en")


def root_path() -> str:
    """Where questionnaires are designed: the root of the organisation."""
    return get_root_unit().path


def can_design(actor: Actor) -> bool:
    return actor.is_system or policy.can(actor, "design", root_path())


def require_design(actor: Actor) -> None:
    """The directorate's pages: 404 for who sees no survey anywhere, 403 for the others."""
    policy.require_anywhere(actor, "design", at=root_path())


def require_read(actor: Actor) -> None:
    """The questionnaires' pages: for whoever sees survey results somewhere."""
    policy.require_anywhere(actor, "view")


def visible_versions(actor: Actor) -> QuerySet[QuestionnaireVersion]:
    """The versions the actor may read, newest first: drafts for the designers only."""
    versions = QuestionnaireVersion.objects.all()
    if not can_design(actor):
        versions = versions.exclude(status=VersionStatus.DRAFT)
    return versions.order_by("-number")


def list_questionnaires(actor: Actor) -> QuerySet[Questionnaire]:
    """Every questionnaire with its versions (newest first; drafts for designers only)."""
    require_read(actor)
    return Questionnaire.objects.prefetch_related(
        Prefetch("versions", queryset=visible_versions(actor))
    ).order_by("code")


def get_questionnaire(actor: Actor, questionnaire_id: int) -> Questionnaire:
    require_read(actor)
    return one_or_404(Questionnaire.objects, pk=questionnaire_id)


def get_version(actor: Actor, version_id: int) -> QuestionnaireVersion:
    """One version for reading (a draft only for designers; 404 otherwise)."""
    require_read(actor)
    return one_or_404(visible_versions(actor).select_related("questionnaire", "published_by"), pk=version_id)


def get_question(actor: Actor, question_id: int) -> Question:
    """A question to edit: designers only (403/404 for the others)."""
    require_design(actor)
    return one_or_404(Question.objects.select_related("version", "version__questionnaire"), pk=question_id)


def get_option(actor: Actor, option_id: int) -> Option:
    """An option to edit: designers only (403/404 for the others)."""
    require_design(actor)
    return one_or_404(
        Option.objects.select_related("question", "question__version", "question__version__questionnaire"),
        pk=option_id,
    )


def questions_with_options() -> QuerySet[Question]:
    """Questions in order, each with its options in order."""
    return Question.objects.prefetch_related(
        Prefetch("options", queryset=Option.objects.order_by("position"))
    ).order_by("position")


def list_questions(version: QuestionnaireVersion) -> list[Question]:
    """The version's questions in order, each with its options in order."""
    return list(questions_with_options().filter(version_id=version.pk))


def latest_version(questionnaire: Questionnaire) -> QuestionnaireVersion | None:
    return questionnaire.versions.order_by("-number").first()


def get_draft(questionnaire: Questionnaire) -> QuestionnaireVersion | None:
    """The questionnaire's draft in progress, if there is one."""
    return questionnaire.versions.filter(status=VersionStatus.DRAFT).order_by("-number").first()


def get_published_version(code: str) -> QuestionnaireVersion | None:
    """The version of the questionnaire `code` that is in use now (the one
    published last), or None: what a wave, the portal's form and the
    questionnaire after a concern answer against. No actor: it is public."""
    return (
        QuestionnaireVersion.objects.filter(questionnaire__code=code, status=VersionStatus.PUBLISHED)
        .select_related("questionnaire")
        .order_by("-number")
        .first()
    )


def list_published_versions(*, keep: int | None = None) -> QuerySet[QuestionnaireVersion]:
    """The versions a wave may use: those published and not retired (and the
    version `keep`, the one a wave has, even if retired since)."""
    chosen = Q(status=VersionStatus.PUBLISHED)
    if keep is not None:
        chosen |= Q(pk=keep)
    return (
        QuestionnaireVersion.objects.filter(chosen)
        .select_related("questionnaire")
        .order_by("questionnaire__code", "-number")
    )


def frozen_kinds(version: QuestionnaireVersion) -> dict[str, str]:
    """The question codes of the questionnaire's published and retired versions
    (other than `version`), each with its kind: a code keeps its meaning across
    versions, so results can be compared between waves."""
    rows = (
        Question.objects.filter(version__questionnaire_id=version.questionnaire_id)
        .exclude(version__status=VersionStatus.DRAFT)
        .exclude(version_id=version.pk)
        .order_by("version__number")
        .values_list("code", "kind")
    )
    return dict(rows)


# --- as a respondent sees it -------------------------------------------------------------


@dataclass(frozen=True)
class Choice:
    """One answer a respondent may give: the value stored in `Response.answers`
    and its label in the respondent's language."""

    value: str
    label: str


@dataclass(frozen=True)
class ShownQuestion:
    number: int
    code: str
    kind: str
    text: str
    required: bool
    choices: tuple[Choice, ...]

    @property
    def multiple(self) -> bool:
        return self.kind == QuestionKind.MULTIPLE

    @property
    def free_text(self) -> bool:
        return self.kind == QuestionKind.TEXT

    @property
    def scale(self) -> bool:
        """Answered on a row of numbers (1–5 or 0–10)."""
        return self.kind in (QuestionKind.AGREE5, QuestionKind.SCORE10)


@dataclass(frozen=True)
class ShownQuestionnaire:
    language: str
    title: str
    intro: str
    questions: tuple[ShownQuestion, ...]


def _fixed_choices(kind: str) -> list[Choice]:
    """The answers of the kinds with a fixed scale, in the active language."""
    if kind == QuestionKind.AGREE5:
        labels = [
            _("Strongly disagree"),
            _("Disagree"),
            _("Neither agree nor disagree"),
            _("Agree"),
            _("Strongly agree"),
        ]
        return [Choice(str(n), label) for n, label in enumerate(labels, start=1)]
    if kind == QuestionKind.SCORE10:
        ends = {0: _("0 – not at all"), 10: _("10 – completely")}
        return [Choice(str(n), ends.get(n, str(n))) for n in range(11)]
    if kind == QuestionKind.YESNO:
        return [Choice("1", _("Yes")), Choice("0", _("No"))]
    return []


def answer_choices(question: Question, language: str) -> tuple[Choice, ...]:
    """The answers a question offers, labelled in `language` (sq, sr, sr-latn or
    en): the fixed scale of its kind, or its own options for a choice question
    (whose options must have been fetched), nothing for free text."""
    with translation.override(language):
        if question.kind in CHOICE_KINDS:
            return tuple(
                Choice(option.code, pick(translations(option, "label"), language))
                for option in question.options.all()
            )
        return tuple(_fixed_choices(question.kind))


def respondent_view(version: QuestionnaireVersion, language: str) -> ShownQuestionnaire:
    """The version as a respondent reads it in `language`: its title, its
    introduction and every question with the answers it offers."""
    if language not in LANGUAGES:
        language = "sq"
    questions = tuple(
        ShownQuestion(
            number=n,
            code=question.code,
            kind=question.kind,
            text=pick(translations(question, "text"), language),
            required=question.required,
            choices=answer_choices(question, language),
        )
        for n, question in enumerate(list_questions(version), start=1)
    )
    return ShownQuestionnaire(
        language=language,
        title=pick(translations(version, "title"), language),
        intro=pick(translations(version, "intro"), language),
        questions=questions,
    )
