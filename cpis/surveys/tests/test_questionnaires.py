"""The questionnaire builder's services and reads, against the database with
the shipped questionnaires (safety-and-trust and after-concern, each published
as version 1): drafts copied from the latest version, frozen versions that
refuse every change, publishing that retires the version before, validation
that changes nothing, codes that keep their kind across versions, and a
version as a respondent reads it in each language."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from cpis.core.errors import InvalidInput
from cpis.surveys.models import Option, Question, Questionnaire, QuestionnaireVersion, VersionStatus
from cpis.surveys.selectors import questionnaires as selectors
from cpis.surveys.services import questionnaires as services
from cpis.surveys.services.questionnaires import OptionInput, QuestionInput, VersionInput

pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture
def designer(tree, actor_for):
    return actor_for("directorate")


def question_input(**given) -> QuestionInput:
    values = {
        "code": "lighting",
        "kind": "agree5",
        "text_sq": "Rruga ime është e ndriçuar mirë natën.",
        "text_sr": "Моја улица је ноћу добро осветљена.",
        "text_en": "My street is well lit at night.",
    } | given
    return QuestionInput(**values)


def option_input(code="bus", **given) -> OptionInput:
    values = {"code": code, "label_sq": "Autobusi", "label_sr": "Аутобус", "label_en": "The bus"} | given
    return OptionInput(**values)


def snapshot(version: QuestionnaireVersion):
    """Everything a version says, to compare before and after a refused change."""
    version.refresh_from_db()
    questions = list(
        Question.objects.filter(version=version)
        .order_by("position")
        .values_list("position", "code", "kind", "text_sq", "text_sr", "text_en", "required")
    )
    options = list(
        Option.objects.filter(question__version=version)
        .order_by("question__position", "position")
        .values_list("question__code", "position", "code", "label_sq", "label_sr", "label_en")
    )
    return version.status, version.title_en, version.intro_en, questions, options


# --- drafts -----------------------------------------------------------------------------------


def test_a_new_draft_copies_the_latest_version_with_its_questions_and_options(draft, version):
    assert draft.number == version.number + 1
    assert draft.status == VersionStatus.DRAFT and draft.published_at is None
    assert draft.title_sr == version.title_sr
    _status, _title, _intro, questions, options = snapshot(draft)
    assert questions == snapshot(version)[3]
    assert options == snapshot(version)[4]
    assert any(code == "top_issue" for code, *_rest in options)


def test_only_one_draft_at_a_time(designer, draft):
    with pytest.raises(services.DraftExists):
        services.new_draft(designer, questionnaire=draft.questionnaire)
    assert draft.questionnaire.versions.count() == 2


def test_a_new_questionnaire_starts_as_an_empty_draft(designer):
    version = services.create_questionnaire(
        designer,
        data=services.QuestionnaireInput(
            code="youth", purpose="perception", name_sq="Të rinjtë", name_sr="Млади", name_en="Youth"
        ),
        version=VersionInput(title_sq="Titulli", title_sr="Наслов", title_en="Title"),
    )
    assert version.number == 1 and version.status == VersionStatus.DRAFT
    assert not version.questions.exists()
    with pytest.raises(InvalidInput, match="exists already"):
        services.create_questionnaire(
            designer,
            data=services.QuestionnaireInput(
                code="youth", purpose="perception", name_sq="A", name_sr="Б", name_en="C"
            ),
            version=VersionInput(title_sq="T", title_sr="Т", title_en="T"),
        )
    assert Questionnaire.objects.filter(code="youth").count() == 1


def test_a_discarded_draft_is_gone_with_its_questions(designer, draft):
    count = Question.objects.count()
    services.discard_draft(designer, version=draft)
    assert not QuestionnaireVersion.objects.filter(pk=draft.pk).exists()
    assert Question.objects.count() < count


# --- frozen versions ----------------------------------------------------------------------------


def test_a_published_version_refuses_every_change(designer, version):
    before = snapshot(version)
    question = version.questions.get(code="top_issue")
    option = question.options.first()
    changes = [
        lambda: services.update_version(
            designer, version=version, data=VersionInput(title_sq="X", title_sr="Х", title_en="X")
        ),
        lambda: services.add_question(designer, version=version, data=question_input()),
        lambda: services.update_question(designer, question=question, data=question_input(code="top_issue")),
        lambda: services.move_question(designer, question=question, direction="up"),
        lambda: services.delete_question(designer, question=question),
        lambda: services.add_option(designer, question=question, data=option_input()),
        lambda: services.update_option(designer, option=option, data=option_input(code=option.code)),
        lambda: services.move_option(designer, option=option, direction="down"),
        lambda: services.delete_option(designer, option=option),
        lambda: services.publish_version(designer, version=version),
        lambda: services.discard_draft(designer, version=version),
    ]
    for change in changes:
        with pytest.raises(services.VersionFrozen, match="cannot be changed"):
            change()
    assert snapshot(version) == before


def test_a_retired_version_refuses_changes_too(designer, draft, version):
    services.publish_version(designer, version=draft)
    version.refresh_from_db()
    assert version.status == VersionStatus.RETIRED
    with pytest.raises(services.VersionFrozen):
        services.add_question(designer, version=version, data=question_input())


# --- publishing -----------------------------------------------------------------------------------


def test_publishing_freezes_the_draft_and_retires_the_version_before(designer, draft, version, persona):
    services.add_question(designer, version=draft, data=question_input())
    done = services.publish_version(designer, version=draft)
    version.refresh_from_db()
    assert done.status == VersionStatus.PUBLISHED
    assert done.published_at is not None and done.published_by == persona("directorate")
    assert version.status == VersionStatus.RETIRED
    assert selectors.get_published_version("safety-and-trust") == done
    # The other questionnaire's published version is untouched.
    assert selectors.get_published_version("after-concern").status == VersionStatus.PUBLISHED


def test_a_version_without_questions_is_not_published(designer, draft):
    for question in list(draft.questions.all()):
        services.delete_question(designer, question=question)
    with pytest.raises(services.NothingToPublish):
        services.publish_version(designer, version=draft)
    draft.refresh_from_db()
    assert draft.status == VersionStatus.DRAFT
    assert selectors.get_published_version("safety-and-trust").number == 1


def test_a_choice_question_needs_two_options_to_be_published(designer, draft):
    question = services.add_question(
        designer, version=draft, data=question_input(code="transport", kind="single")
    )
    services.add_option(designer, question=question, data=option_input("bus"))
    with pytest.raises(services.ChoiceNeedsOptions, match="transport"):
        services.publish_version(designer, version=draft)
    assert QuestionnaireVersion.objects.get(pk=draft.pk).status == VersionStatus.DRAFT
    services.add_option(
        designer,
        question=question,
        data=option_input("car", label_sq="Makina", label_sr="Ауто", label_en="Car"),
    )
    assert services.publish_version(designer, version=draft).status == VersionStatus.PUBLISHED


# --- questions and options in a draft ----------------------------------------------------------------


def test_a_question_is_added_at_the_end_and_moved(designer, draft):
    last = draft.questions.count()
    question = services.add_question(designer, version=draft, data=question_input())
    assert question.position == last + 1
    services.move_question(designer, question=question, direction="up")
    assert Question.objects.get(pk=question.pk).position == last
    services.move_question(designer, question=question, direction="down")
    services.move_question(designer, question=question, direction="down")  # at the bottom: stays
    assert Question.objects.get(pk=question.pk).position == last + 1
    first = draft.questions.get(position=1)
    services.move_question(designer, question=first, direction="up")
    assert Question.objects.get(pk=first.pk).position == 1


def test_deleting_a_question_closes_the_gap(designer, draft):
    second = draft.questions.get(position=2)
    count = draft.questions.count()
    services.delete_question(designer, question=second)
    positions = list(draft.questions.order_by("position").values_list("position", flat=True))
    assert positions == list(range(1, count))


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ({"text_sr": ""}, "Serbian"),
        ({"text_sq": "  "}, "Albanian"),
        ({"text_en": ""}, "English"),
        ({"code": "Not a code"}, "lower-case"),
        ({"code": "rely"}, "Another question"),
        ({"kind": "slider"}, "kind of question"),
    ],
)
def test_a_bad_question_is_refused_and_nothing_changes(designer, draft, given, message):
    before = snapshot(draft)
    with pytest.raises(InvalidInput, match=message):
        services.add_question(designer, version=draft, data=question_input(**given))
    assert snapshot(draft) == before


def test_a_code_from_a_published_version_keeps_its_code_and_its_kind(designer, draft):
    carried = draft.questions.get(code="rely")
    with pytest.raises(services.CodeIsStable):
        services.update_question(designer, question=carried, data=question_input(code="rely_now"))
    with pytest.raises(services.KindIsStable, match="rely"):
        services.update_question(designer, question=carried, data=question_input(code="rely", kind="yesno"))
    # A new question cannot take an old code with another kind either.
    services.delete_question(designer, question=carried)
    with pytest.raises(services.KindIsStable):
        services.add_question(designer, version=draft, data=question_input(code="rely", kind="score10"))
    # With the same kind the code comes back (the wording may change).
    again = services.add_question(designer, version=draft, data=question_input(code="rely", kind="agree5"))
    assert again.text_en == "My street is well lit at night."


def test_a_new_question_of_a_draft_may_change_its_code(designer, draft):
    question = services.add_question(designer, version=draft, data=question_input())
    changed = services.update_question(designer, question=question, data=question_input(code="street_light"))
    assert changed.code == "street_light"


def test_options_have_unique_codes_and_only_choice_questions_have_them(designer, draft):
    choice = services.add_question(
        designer, version=draft, data=question_input(code="transport", kind="single")
    )
    services.add_option(designer, question=choice, data=option_input("bus"))
    with pytest.raises(InvalidInput, match="Another option"):
        services.add_option(designer, question=choice, data=option_input("bus"))
    with pytest.raises(InvalidInput, match="Albanian"):
        services.add_option(designer, question=choice, data=option_input("car", label_sq=""))
    scale = draft.questions.get(code="rely")
    with pytest.raises(InvalidInput, match="Only a question with"):
        services.add_option(designer, question=scale, data=option_input("car"))
    assert list(choice.options.values_list("code", flat=True)) == ["bus"]


def test_a_question_that_stops_offering_a_choice_loses_its_options(designer, draft):
    choice = services.add_question(
        designer, version=draft, data=question_input(code="transport", kind="single")
    )
    services.add_option(designer, question=choice, data=option_input("bus"))
    services.update_question(designer, question=choice, data=question_input(code="transport", kind="text"))
    assert not Option.objects.filter(question=choice).exists()


def test_options_move_and_close_their_gap(designer, draft):
    question = draft.questions.get(code="top_issue")
    codes = list(question.options.order_by("position").values_list("code", flat=True))
    services.move_option(designer, option=question.options.get(code=codes[1]), direction="up")
    assert list(question.options.order_by("position").values_list("code", flat=True))[:2] == [
        codes[1],
        codes[0],
    ]
    services.delete_option(designer, option=question.options.get(code=codes[0]))
    positions = list(question.options.order_by("position").values_list("position", flat=True))
    assert positions == list(range(1, len(codes)))


def test_a_draft_title_and_introduction_need_the_three_languages(designer, draft):
    before = snapshot(draft)
    with pytest.raises(InvalidInput, match="Serbian"):
        services.update_version(
            designer, version=draft, data=VersionInput(title_sq="Titull", title_sr="", title_en="Title")
        )
    assert snapshot(draft) == before
    saved = services.update_version(
        designer,
        version=draft,
        data=VersionInput(title_sq="Titull", title_sr="Наслов", title_en="Title", intro_en="Hello"),
    )
    assert (saved.title_sr, saved.intro_en, saved.intro_sq) == ("Наслов", "Hello", "")


# --- who may ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "refusal"), [("director_north", PermissionDenied), ("officer_n1a", PermissionDenied)]
)
def test_only_the_directorate_designs(tree, actor_for, version, who, refusal):
    with pytest.raises(refusal):
        services.new_draft(actor_for(who), questionnaire=version.questionnaire)


def test_someone_who_sees_no_survey_gets_not_found(tree, actor_for, version):
    with pytest.raises(Http404):
        services.new_draft(actor_for("standards"), questionnaire=version.questionnaire)


def test_drafts_are_the_designers_alone(tree, actor_for, draft):
    assert selectors.get_version(actor_for("directorate"), draft.pk) == draft
    with pytest.raises(Http404):
        selectors.get_version(actor_for("commander_n1"), draft.pk)
    listed = selectors.list_questionnaires(actor_for("commander_n1")).get(code="safety-and-trust")
    assert [v.status for v in listed.versions.all()] == [VersionStatus.PUBLISHED]


# --- as a respondent reads it ---------------------------------------------------------------------------


def test_the_respondent_view_in_serbian_latin_is_transliterated_from_the_cyrillic(version):
    shown = selectors.respondent_view(version, "sr-latn")
    first = shown.questions[0]
    assert first.code == "safe_dark"
    assert first.text.startswith("Osećam se bezbedno")
    assert shown.title.startswith("Koliko se osećate")
    assert len(first.choices) == 5
    top = next(q for q in shown.questions if q.code == "top_issue")
    assert top.choices[0] == selectors.Choice("traffic", "Saobraćaj i brzina")


@pytest.mark.parametrize(
    ("language", "text", "agree"),
    [
        ("en", "I feel safe walking alone in this area after dark.", "Strongly agree"),
        ("sr", "Осећам се безбедно када сам/сама шетам овим подручјем после мрака.", None),
        ("sq", "Ndihem i sigurt/e sigurt kur eci vetëm/vetme në këtë zonë pas errësirës.", None),
    ],
)
def test_the_respondent_view_speaks_the_chosen_language(version, language, text, agree):
    shown = selectors.respondent_view(version, language)
    assert shown.language == language
    assert shown.questions[0].text == text
    if agree:
        assert shown.questions[0].choices[-1].label == agree
    yes_no = next(q for q in shown.questions if q.kind == "yesno")
    assert [c.value for c in yes_no.choices] == ["1", "0"]
    score = next(q for q in shown.questions if q.kind == "score10")
    assert [c.value for c in score.choices] == [str(n) for n in range(11)]
