"""Writes of the questionnaires, the directorate's work [Evaluation 4]: a new
questionnaire, a new draft copied from the latest version, the draft's title,
introduction, questions and options, and publishing it — which freezes it and
retires the version published before. Every service refuses to change a
published or retired version (a response is read against the exact wording it
answered), and a question's code keeps its kind across versions (results are
compared between waves by code). Bad input raises and changes nothing."""

import re
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Max, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cpis.core.errors import DomainError, InvalidInput
from cpis.core.text import check_choice, clean_text
from cpis.organisation.access import Actor

from ..models import (
    Option,
    Purpose,
    Question,
    QuestionKind,
    Questionnaire,
    QuestionnaireVersion,
    VersionStatus,
)
from ..selectors import questionnaires as selectors

CODE = re.compile(r"[a-z][a-z0-9_-]{0,39}")
# The languages the data keeps a text in (Serbian in Cyrillic; the Latin is derived).
LANGUAGES = ("sq", "sr", "en")
MIN_OPTIONS = 2


class VersionFrozen(DomainError):
    message = gettext_lazy(
        "This version is published or retired, so it cannot be changed: draft a new version instead."
    )


class DraftExists(DomainError):
    message = gettext_lazy("The questionnaire has a draft already: change that one, or discard it first.")


class NothingToPublish(DomainError):
    status_code = 400
    message = gettext_lazy("A questionnaire is published with one question at least.")


class ChoiceNeedsOptions(DomainError):
    status_code = 400

    def __init__(self, code: str) -> None:
        super().__init__(
            _("The question “%(code)s” offers a choice: give it %(count)s options at least.")
            % {"code": code, "count": MIN_OPTIONS}
        )


class CodeIsStable(DomainError):
    status_code = 400
    message = gettext_lazy(
        "This question was in a published version: its code stays, so that its results can be "
        "compared between waves. Add a new question for a new meaning."
    )


class KindIsStable(DomainError):
    status_code = 400

    def __init__(self, code: str, kind: str) -> None:
        super().__init__(
            _(
                "The code “%(code)s” was a question of the kind “%(kind)s” in a published version: "
                "a code keeps its kind across versions. Choose another code."
            )
            % {"code": code, "kind": QuestionKind(kind).label}
        )


@dataclass(frozen=True)
class VersionInput:
    title_sq: str
    title_sr: str
    title_en: str
    intro_sq: str = ""
    intro_sr: str = ""
    intro_en: str = ""


@dataclass(frozen=True)
class QuestionInput:
    code: str
    kind: str
    text_sq: str
    text_sr: str
    text_en: str
    required: bool = False


@dataclass(frozen=True)
class OptionInput:
    code: str
    label_sq: str
    label_sr: str
    label_en: str


@dataclass(frozen=True)
class QuestionnaireInput:
    code: str
    purpose: str
    name_sq: str
    name_sr: str
    name_en: str


# --- checks ---------------------------------------------------------------------------------


def _texts(*fields: str) -> tuple[str, ...]:
    """The names of `fields` in each language the data keeps: title_sq, title_sr, …"""
    return tuple(f"{field}_{language}" for field in fields for language in LANGUAGES)


def _copy(record: object, names: tuple[str, ...]) -> dict[str, object]:
    return {name: getattr(record, name) for name in names}


def _code(value: str, what: str) -> str:
    code = (value or "").strip()
    if not CODE.fullmatch(code):
        raise InvalidInput(
            _(
                "The %(what)s's code is 1 to 40 lower-case letters, digits, hyphens or underscores, "
                "starting with a letter."
            )
            % {"what": what}
        )
    return code


def _three(data: object, field: str, *, limit: int, required: bool = True) -> dict[str, str]:
    """`field` in Albanian, Serbian (Cyrillic) and English (`data`'s `<field>_sq`,
    `<field>_sr`, `<field>_en`), each checked."""
    messages = (
        _("Write it in Albanian."),
        _("Write it in Serbian (Cyrillic)."),
        _("Write it in English."),
    )
    return {
        name: clean_text(getattr(data, name), limit=limit, required=required, missing=missing)
        for name, missing in zip([f"{field}_{language}" for language in LANGUAGES], messages, strict=True)
    }


def _version_fields(data: VersionInput) -> dict:
    return _three(data, "title", limit=200) | _three(data, "intro", limit=4000, required=False)


def _draft(version: QuestionnaireVersion) -> QuestionnaireVersion:
    """The version, locked, when it is still a draft; VersionFrozen otherwise."""
    current = QuestionnaireVersion.objects.select_for_update().get(pk=version.pk)
    if current.status != VersionStatus.DRAFT:
        raise VersionFrozen()
    return current


def _question_fields(version: QuestionnaireVersion, data: QuestionInput, question: Question | None) -> dict:
    code = _code(data.code, _("question"))
    kind = check_choice(data.kind, QuestionKind.values, _("Choose the kind of question."))
    frozen = selectors.frozen_kinds(version)
    if question is not None and question.code != code and question.code in frozen:
        raise CodeIsStable()
    if code in frozen and frozen[code] != kind:
        raise KindIsStable(code, frozen[code])
    taken = version.questions.filter(code=code)
    if question is not None:
        taken = taken.exclude(pk=question.pk)
    if taken.exists():
        raise InvalidInput(_("Another question of this version has the code “%(code)s”.") % {"code": code})
    return {
        "code": code,
        "kind": kind,
        "required": bool(data.required),
        **_three(data, "text", limit=300),
    }


def _option_fields(question: Question, data: OptionInput, option: Option | None) -> dict:
    if question.kind not in selectors.CHOICE_KINDS:
        raise InvalidInput(_("Only a question with one or several choices has options."))
    code = _code(data.code, _("option"))
    taken = question.options.filter(code=code)
    if option is not None:
        taken = taken.exclude(pk=option.pk)
    if taken.exists():
        raise InvalidInput(_("Another option of this question has the code “%(code)s”.") % {"code": code})
    return {"code": code, **_three(data, "label", limit=200)}


# --- questionnaires and versions ---------------------------------------------------------------


@transaction.atomic
def create_questionnaire(
    actor: Actor, *, data: QuestionnaireInput, version: VersionInput
) -> QuestionnaireVersion:
    """A new questionnaire with an empty draft version 1. The directorate may."""
    selectors.require_design(actor)
    code = _code(data.code, _("questionnaire"))
    if Questionnaire.objects.filter(code=code).exists():
        raise InvalidInput(_("A questionnaire with the code “%(code)s” exists already.") % {"code": code})
    names = _three(data, "name", limit=200)
    purpose = check_choice(data.purpose, Purpose.values, _("Choose what the questionnaire is for."))
    questionnaire = Questionnaire.objects.create(code=code, purpose=purpose, **names)
    return QuestionnaireVersion.objects.create(
        questionnaire=questionnaire, number=1, status=VersionStatus.DRAFT, **_version_fields(version)
    )


@transaction.atomic
def new_draft(actor: Actor, *, questionnaire: Questionnaire) -> QuestionnaireVersion:
    """A draft numbered after the latest version, with a copy of its title,
    introduction, questions and options (codes kept). One draft at a time."""
    selectors.require_design(actor)
    Questionnaire.objects.select_for_update().filter(pk=questionnaire.pk).first()
    if selectors.get_draft(questionnaire) is not None:
        raise DraftExists()
    latest = selectors.latest_version(questionnaire)
    if latest is None:
        raise InvalidInput(_("The questionnaire has no version to copy."))
    draft = QuestionnaireVersion.objects.create(
        questionnaire=questionnaire,
        number=latest.number + 1,
        status=VersionStatus.DRAFT,
        **_copy(latest, _texts("title", "intro")),
    )
    for question in selectors.list_questions(latest):
        copy = Question.objects.create(
            version=draft, **_copy(question, ("position", "code", "kind", "required", *_texts("text")))
        )
        Option.objects.bulk_create(
            Option(question=copy, **_copy(option, ("position", "code", *_texts("label"))))
            for option in question.options.all()
        )
    return draft


@transaction.atomic
def update_version(
    actor: Actor, *, version: QuestionnaireVersion, data: VersionInput
) -> QuestionnaireVersion:
    """A draft's title and introduction in the three languages."""
    selectors.require_design(actor)
    draft = _draft(version)
    for name, value in _version_fields(data).items():
        setattr(draft, name, value)
    draft.save()
    return draft


@transaction.atomic
def discard_draft(actor: Actor, *, version: QuestionnaireVersion) -> Questionnaire:
    """Delete a draft with its questions (a questionnaire left with no version
    at all goes too). Returns the questionnaire."""
    selectors.require_design(actor)
    draft = _draft(version)
    questionnaire = draft.questionnaire
    draft.delete()
    if not questionnaire.versions.exists():
        questionnaire.delete()
    return questionnaire


@transaction.atomic
def publish_version(actor: Actor, *, version: QuestionnaireVersion) -> QuestionnaireVersion:
    """Freeze a draft: it becomes the questionnaire's published version (who and
    when kept) and the version published before it is retired. It needs one
    question at least, and every choice question two options."""
    selectors.require_design(actor)
    Questionnaire.objects.select_for_update().filter(pk=version.questionnaire_id).first()
    draft = _draft(version)
    questions = selectors.list_questions(draft)
    if not questions:
        raise NothingToPublish()
    for question in questions:
        if question.kind in selectors.CHOICE_KINDS and len(question.options.all()) < MIN_OPTIONS:
            raise ChoiceNeedsOptions(question.code)
    QuestionnaireVersion.objects.filter(
        questionnaire_id=draft.questionnaire_id, status=VersionStatus.PUBLISHED
    ).update(status=VersionStatus.RETIRED)
    draft.status = VersionStatus.PUBLISHED
    draft.published_at = timezone.now()
    draft.published_by_id = actor.user_id
    draft.save(update_fields=["status", "published_at", "published_by", "updated_at"])
    return draft


# --- questions ----------------------------------------------------------------------------------


@transaction.atomic
def add_question(actor: Actor, *, version: QuestionnaireVersion, data: QuestionInput) -> Question:
    """A question at the end of a draft."""
    selectors.require_design(actor)
    draft = _draft(version)
    fields = _question_fields(draft, data, None)
    return Question.objects.create(version=draft, position=_next_position(draft.questions.all()), **fields)


@transaction.atomic
def update_question(actor: Actor, *, question: Question, data: QuestionInput) -> Question:
    """Change a draft's question. A question that no longer offers a choice
    loses its options."""
    selectors.require_design(actor)
    draft = _draft(question.version)
    current = Question.objects.get(pk=question.pk)
    for name, value in _question_fields(draft, data, current).items():
        setattr(current, name, value)
    current.save()
    if current.kind not in selectors.CHOICE_KINDS:
        current.options.all().delete()
    return current


Ordered = Question | Option


def _move(rows: QuerySet[Any], current: Ordered, direction: str) -> None:
    """Swap `current` with the row before it (up) or after it (down) among its
    siblings `rows`, past the (parent, position) unique constraint; at the top
    or the bottom nothing moves."""
    if direction not in ("up", "down"):
        raise InvalidInput(_("Move a question or an option up or down."))
    ordered = rows.order_by("position")
    neighbour = (
        ordered.filter(position__lt=current.position).last()
        if direction == "up"
        else ordered.filter(position__gt=current.position).first()
    )
    if neighbour is None:
        return
    a, b = current.position, neighbour.position
    rows.filter(pk=current.pk).update(position=0)
    rows.filter(pk=neighbour.pk).update(position=a)
    rows.filter(pk=current.pk).update(position=b)


def _renumber(rows: QuerySet[Any]) -> None:
    """Number the rows 1, 2, … in their order, after one of them was deleted."""
    for position, pk in enumerate(rows.order_by("position").values_list("pk", flat=True), start=1):
        rows.filter(pk=pk).exclude(position=position).update(position=position)


def _next_position(rows: QuerySet[Any]) -> int:
    return (rows.aggregate(last=Max("position"))["last"] or 0) + 1


@transaction.atomic
def move_question(actor: Actor, *, question: Question, direction: str) -> Question:
    """Move a draft's question one place up or down (at the top or the bottom, nothing moves)."""
    selectors.require_design(actor)
    draft = _draft(question.version)
    _move(draft.questions.all(), Question.objects.get(pk=question.pk), direction)
    return Question.objects.get(pk=question.pk)


@transaction.atomic
def delete_question(actor: Actor, *, question: Question) -> QuestionnaireVersion:
    """Delete a draft's question with its options; those after it move up."""
    selectors.require_design(actor)
    draft = _draft(question.version)
    Question.objects.filter(pk=question.pk).delete()
    _renumber(draft.questions.all())
    return draft


# --- options ------------------------------------------------------------------------------------


@transaction.atomic
def add_option(actor: Actor, *, question: Question, data: OptionInput) -> Option:
    """An option at the end of a choice question of a draft."""
    selectors.require_design(actor)
    _draft(question.version)
    current = Question.objects.get(pk=question.pk)
    fields = _option_fields(current, data, None)
    return Option.objects.create(question=current, position=_next_position(current.options.all()), **fields)


@transaction.atomic
def update_option(actor: Actor, *, option: Option, data: OptionInput) -> Option:
    selectors.require_design(actor)
    _draft(option.question.version)
    current = Option.objects.select_related("question").get(pk=option.pk)
    for name, value in _option_fields(current.question, data, current).items():
        setattr(current, name, value)
    current.save()
    return current


@transaction.atomic
def move_option(actor: Actor, *, option: Option, direction: str) -> Option:
    """Move an option one place up or down among its question's options."""
    selectors.require_design(actor)
    _draft(option.question.version)
    current = Option.objects.get(pk=option.pk)
    _move(Option.objects.filter(question_id=current.question_id), current, direction)
    return Option.objects.get(pk=option.pk)


@transaction.atomic
def delete_option(actor: Actor, *, option: Option) -> Question:
    """Delete an option of a draft's question; those after it move up."""
    selectors.require_design(actor)
    _draft(option.question.version)
    question = option.question
    Option.objects.filter(pk=option.pk).delete()
    _renumber(question.options.all())
    return question
