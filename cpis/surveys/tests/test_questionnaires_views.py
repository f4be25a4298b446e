"""The questionnaire builder's pages: who may open them (a sector officer reads
published questionnaires but gets 403 on every design page), a version's page
with every question and its options in the three languages, a frozen version
that offers no change, a draft edited through the pages with and without htmx,
publishing, and the preview in each language."""

import pytest

from cpis.surveys.models import Question, QuestionnaireVersion, VersionStatus
from cpis.surveys.services import questionnaires as services

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


QUESTION = {
    "code": "lighting",
    "kind": "single",
    "text_sq": "Si lëvizni natën?",
    "text_sr": "Како се крећете ноћу?",
    "text_en": "How do you get about at night?",
}


# --- who may -------------------------------------------------------------------------------------


def test_a_sector_officer_reads_the_published_questionnaires(client_for, version):
    client = client_for("officer_n1a")
    listing = client.get("/staff/surveys/questionnaires/", **EN)
    assert listing.status_code == 200
    assert b"Safety and trust" in listing.content
    assert b"New questionnaire" not in listing.content and b"New draft" not in listing.content
    page = client.get(f"/staff/surveys/questionnaires/versions/{version.pk}/", **EN)
    assert page.status_code == 200
    assert b"Add a question" not in page.content


def test_a_sector_officer_gets_403_on_every_design_page(client_for, draft, version):
    client = client_for("officer_n1a")
    question = draft.questions.first()
    option = draft.questions.get(code="top_issue").options.first()
    assert client.get("/staff/surveys/questionnaires/new/").status_code == 403
    assert client.post(f"/staff/surveys/questionnaires/{version.questionnaire_id}/draft/").status_code == 403
    assert client.get(f"/staff/surveys/questionnaires/questions/{question.pk}/").status_code == 403
    assert client.get(f"/staff/surveys/questionnaires/options/{option.pk}/").status_code == 403
    assert client.post(f"/staff/surveys/questionnaires/questions/{question.pk}/move/down/").status_code == 403
    # A draft is not even there for them.
    assert client.get(f"/staff/surveys/questionnaires/versions/{draft.pk}/").status_code == 404
    assert client.post(f"/staff/surveys/questionnaires/versions/{draft.pk}/publish/").status_code == 404
    assert QuestionnaireVersion.objects.get(pk=draft.pk).status == VersionStatus.DRAFT


def test_a_regional_director_may_not_design_either(client_for, version):
    client = client_for("director_north")
    assert client.get("/staff/surveys/questionnaires/new/").status_code == 403
    assert client.post(f"/staff/surveys/questionnaires/{version.questionnaire_id}/draft/").status_code == 403


def test_who_sees_no_survey_gets_404(client_for, version):
    for who in ("standards", "no_role"):
        client = client_for(who)
        assert client.get("/staff/surveys/questionnaires/").status_code == 404
        assert client.get("/staff/surveys/questionnaires/new/").status_code == 404


# --- a version's page -----------------------------------------------------------------------------


def test_a_version_shows_every_question_with_its_options_in_three_languages(client_for, version):
    page = client_for("directorate").get(f"/staff/surveys/questionnaires/versions/{version.pk}/", **EN)
    body = page.content.decode()
    for question in version.questions.all():
        assert question.text_sq in body and question.text_sr in body and question.text_en in body
    assert "Трафик" not in body  # the options are the data's, not invented
    for label in ("Trafiku dhe shpejtësia", "Саобраћај и брзина", "Traffic and speeding"):
        assert label in body


def test_a_published_version_offers_no_change(client_for, version):
    body = (
        client_for("directorate").get(f"/staff/surveys/questionnaires/versions/{version.pk}/", **EN).content
    )
    assert b"This version is frozen" in body
    for offer in (b"Add a question", b"Publish this version", b"Move up", b"/delete/", b"Discard"):
        assert offer not in body
    assert b"New draft from the latest version" in body


def test_a_draft_offers_its_editing(client_for, draft):
    body = client_for("directorate").get(f"/staff/surveys/questionnaires/versions/{draft.pk}/", **EN).content
    for offer in (b"Add a question", b"Publish this version", b"Move up", b"Discard"):
        assert offer in body


# --- editing through the pages ------------------------------------------------------------------------


def test_the_directorate_drafts_edits_and_publishes_through_the_pages(client_for, version):
    client = client_for("directorate")
    response = client.post(f"/staff/surveys/questionnaires/{version.questionnaire_id}/draft/")
    draft = QuestionnaireVersion.objects.get(questionnaire=version.questionnaire, number=2)
    assert response.status_code == 302 and response["Location"].endswith(f"/versions/{draft.pk}/")

    response = client.post(f"/staff/surveys/questionnaires/versions/{draft.pk}/question/", QUESTION)
    question = draft.questions.get(code="lighting")
    assert response["Location"].endswith(f"/questions/{question.pk}/")  # a choice: on to its options
    for code, sq, sr, en in (
        ("walk", "Në këmbë", "Пешке", "On foot"),
        ("car", "Me makinë", "Колима", "By car"),
    ):
        url = f"/staff/surveys/questionnaires/questions/{question.pk}/option/"
        client.post(url, {"code": code, "label_sq": sq, "label_sr": sr, "label_en": en})
    assert list(question.options.values_list("code", flat=True)) == ["walk", "car"]

    response = client.post(f"/staff/surveys/questionnaires/versions/{draft.pk}/publish/")
    assert response.status_code == 302
    draft.refresh_from_db()
    version.refresh_from_db()
    assert (draft.status, version.status) == (VersionStatus.PUBLISHED, VersionStatus.RETIRED)


def test_a_refused_question_is_shown_again_with_its_error_and_nothing_is_added(client_for, draft):
    count = draft.questions.count()
    response = client_for("directorate").post(
        f"/staff/surveys/questionnaires/versions/{draft.pk}/question/",
        {**QUESTION, "code": "rely", "kind": "agree5"},
        **EN,
    )
    assert response.status_code == 400
    assert b"Another question of this version has the code" in response.content
    assert draft.questions.count() == count


def test_publishing_a_choice_question_without_options_is_refused_on_the_page(client_for, draft):
    client = client_for("directorate")
    client.post(f"/staff/surveys/questionnaires/versions/{draft.pk}/question/", QUESTION)
    response = client.post(f"/staff/surveys/questionnaires/versions/{draft.pk}/publish/", **EN)
    assert response.status_code == 400
    assert "give it 2 options at least" in response.content.decode()
    assert QuestionnaireVersion.objects.get(pk=draft.pk).status == VersionStatus.DRAFT


def test_moving_a_question_with_htmx_swaps_the_list_only(client_for, draft):
    client = client_for("directorate")
    second = draft.questions.get(position=2)
    response = client.post(
        f"/staff/surveys/questionnaires/questions/{second.pk}/move/up/", HTTP_HX_REQUEST="true", **EN
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert body.lstrip().startswith('<div id="questions">') and "<html" not in body
    assert Question.objects.get(pk=second.pk).position == 1
    assert body.index(f'id="question-{second.pk}"') < body.index(
        f'id="question-{draft.questions.get(position=2).pk}"'
    )


def test_moving_a_question_without_javascript_comes_back_to_the_page(client_for, draft):
    second = draft.questions.get(position=2)
    response = client_for("directorate").post(f"/staff/surveys/questionnaires/questions/{second.pk}/move/up/")
    assert response.status_code == 302
    assert response["Location"].endswith(f"/versions/{draft.pk}/#question-{second.pk}")
    assert Question.objects.get(pk=second.pk).position == 1


def test_an_option_is_changed_and_moved_through_the_pages(client_for, draft):
    client = client_for("directorate")
    question = draft.questions.get(code="top_issue")
    drugs = question.options.get(code="drugs")
    response = client.post(
        f"/staff/surveys/questionnaires/options/{drugs.pk}/edit/",
        {"code": "drugs", "label_sq": "Drogat", "label_sr": "Дроге", "label_en": "Drugs and dealing"},
    )
    assert response.status_code == 302
    drugs.refresh_from_db()
    assert drugs.label_en == "Drugs and dealing"
    response = client.post(
        f"/staff/surveys/questionnaires/options/{drugs.pk}/move/up/", HTTP_HX_REQUEST="true"
    )
    assert response.content.decode().lstrip().startswith('<div id="options">')
    assert question.options.order_by("position").values_list("code", flat=True).first() == "drugs"


def test_a_new_questionnaire_through_its_page(client_for):
    client = client_for("directorate")
    data = {
        "code": "youth",
        "purpose": "perception",
        "name_sq": "Të rinjtë",
        "name_sr": "Млади",
        "name_en": "Young people",
        "title_sq": "Siguria e të rinjve",
        "title_sr": "Безбедност младих",
        "title_en": "Young people's safety",
    }
    response = client.post("/staff/surveys/questionnaires/new/", data)
    version = QuestionnaireVersion.objects.get(questionnaire__code="youth")
    assert response["Location"].endswith(f"/versions/{version.pk}/")
    assert version.status == VersionStatus.DRAFT


# --- the preview ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("sr-latn", "Osećam se bezbedno kada sam/sama šetam ovim područjem posle mraka."),
        ("sr", "Осећам се безбедно када сам/сама шетам овим подручјем после мрака."),
        ("en", "I feel safe walking alone in this area after dark."),
        ("sq", "Ndihem i sigurt/e sigurt kur eci vetëm/vetme në këtë zonë pas errësirës."),
    ],
)
def test_the_preview_shows_the_version_as_a_respondent_reads_it(client_for, version, language, expected):
    response = client_for("officer_n1a").get(
        f"/staff/surveys/questionnaires/versions/{version.pk}/preview/?lang={language}", **EN
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert expected in body
    assert f'lang="{language}"' in body
    assert 'type="radio"' in body and "<textarea" in body


def test_the_preview_in_serbian_latin_labels_the_options_from_the_cyrillic(client_for, version):
    body = client_for("directorate").get(
        f"/staff/surveys/questionnaires/versions/{version.pk}/preview/?lang=sr-latn", HTTP_HX_REQUEST="true"
    )
    text = body.content.decode()
    assert text.lstrip().startswith('<section class="card" id="preview"')
    assert "Saobraćaj i brzina" in text and "Саобраћај" not in text


def test_the_questionnaire_list_takes_as_many_queries_whatever_the_versions(
    client_for, tree, actor_for, draft
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for("directorate")

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/staff/surveys/questionnaires/").status_code == 200
        return len(captured)

    few = count()
    services.publish_version(actor_for("directorate"), version=draft)
    services.new_draft(actor_for("directorate"), questionnaire=draft.questionnaire)
    assert count() == few
