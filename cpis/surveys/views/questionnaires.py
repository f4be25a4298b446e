"""Staff pages of the questionnaire builder (issue #14, item 1): the
questionnaires with their versions; a version with every question and its
options in the three languages of the data; its preview as a respondent sees
it in Albanian, Serbian (Cyrillic or Latin) or English; and, for the
directorate, a new questionnaire, a new draft copied from the latest version,
the draft's title, questions and options (moved with htmx, or without it), and
publishing it. A published or retired version offers no change."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from cpis.core.errors import DomainError
from cpis.core.forms import form_page, initial_from, submit
from cpis.core.htmx import template_for, vary_on_htmx
from cpis.core.views import RecordPage, on_record, record_url
from cpis.organisation.access import Actor, ActorRequest, staff_required

from ..forms.questionnaires import OptionForm, PreviewForm, QuestionForm, QuestionnaireForm, VersionForm
from ..selectors import questionnaires as selectors
from ..services import questionnaires as services
from .common import form_step

# --- the list and a new questionnaire ------------------------------------------------------------


@staff_required
@require_safe
def questionnaire_list(request: ActorRequest) -> HttpResponse:
    """Every questionnaire with its versions and their status."""
    actor = request.actor
    context = {
        "questionnaires": selectors.list_questionnaires(actor),
        "can_design": selectors.can_design(actor),
    }
    return render(request, "surveys/questionnaires/list.html", context)


@staff_required
def questionnaire_new(request: ActorRequest) -> HttpResponse:
    """A new questionnaire and its first draft (the directorate)."""
    actor = request.actor
    selectors.require_design(actor)
    form = QuestionnaireForm(request.POST or None)
    return form_page(
        request,
        form,
        lambda _data: services.create_questionnaire(actor, **form.service_input()),
        success=_("The questionnaire is created: add its questions, then publish it."),
        then=record_url("surveys:version"),
        template="surveys/questionnaires/new.html",
    )


@staff_required
@require_POST
@on_record(selectors.get_questionnaire)
def new_draft(request: ActorRequest, questionnaire: Any) -> HttpResponse:
    """A draft copied from the questionnaire's latest version (the directorate)."""
    try:
        draft = services.new_draft(request.actor, questionnaire=questionnaire)
    except DomainError as exc:
        messages.error(request, str(exc))
        existing = selectors.get_draft(questionnaire)
        return redirect("surveys:version", existing.pk) if existing else redirect("surveys:questionnaires")
    messages.success(
        request,
        _("Version %(number)s is drafted from the latest: change it, preview it, then publish it.")
        % {"number": draft.number},
    )
    return redirect("surveys:version", draft.pk)


# --- a version ---------------------------------------------------------------------------------


def editable(actor: Actor, version: Any) -> bool:
    """Only a draft changes, and only by the directorate."""
    return not version.is_frozen and selectors.can_design(actor)


def _version_context(request: ActorRequest, version: Any) -> dict[str, Any]:
    actor = request.actor
    can_edit = editable(actor, version)
    context: dict[str, Any] = {
        "version": version,
        "questionnaire": version.questionnaire,
        "questions": selectors.list_questions(version),
        "choice_kinds": selectors.CHOICE_KINDS,
        "editable": can_edit,
        "can_design": selectors.can_design(actor),
        "draft": selectors.get_draft(version.questionnaire) if version.is_frozen else None,
    }
    if can_edit:
        context["version_form"] = VersionForm(initial=initial_from(version, VersionForm))
        context["question_form"] = QuestionForm()
    return context


version_page = RecordPage(
    "surveys:version", selectors.get_version, "surveys/questionnaires/version.html", _version_context
)
version = staff_required(require_safe(version_page.view()))


def _add_question(request: ActorRequest, actor: Actor, version: Any) -> HttpResponse:
    form = QuestionForm(request.POST)
    question = submit(
        form, lambda _data: services.add_question(actor, version=version, **form.service_input())
    )
    if question is None:
        return version_page.invalid(request, version, question_form=form)
    if question.kind in selectors.CHOICE_KINDS:
        messages.success(request, _("The question is added: now give it its options."))
        return redirect("surveys:question", question.pk)
    return version_page.done(request, version, _("The question is added."))


def _publish(request: ActorRequest, actor: Actor, version: Any) -> HttpResponse:
    services.publish_version(actor, version=version)
    return version_page.done(
        request, version, _("The version is published: it is frozen, and the one before it is retired.")
    )


def _discard(request: ActorRequest, actor: Actor, version: Any) -> HttpResponse:
    services.discard_draft(actor, version=version)
    messages.success(request, _("The draft is discarded."))
    return redirect("surveys:questionnaires")


version_step = staff_required(
    require_POST(
        version_page.act_view(
            {
                "edit": form_step(
                    version_page,
                    "version_form",
                    VersionForm,
                    services.update_version,
                    "version",
                    success=gettext_lazy("The title and introduction are saved."),
                ),
                "question": _add_question,
                "publish": _publish,
                "discard": _discard,
            }
        )
    )
)


@staff_required
@require_safe
@on_record(selectors.get_version)
def preview(request: ActorRequest, version: Any) -> HttpResponse:
    """The version as a respondent sees it, in the language chosen (`?lang=`);
    htmx swaps the questionnaire alone when the language changes."""
    form = PreviewForm(request.GET or None)
    language = form.language()
    context = {
        "version": version,
        "questionnaire": version.questionnaire,
        "form": form,
        "shown": selectors.respondent_view(version, language),
    }
    template = template_for(request, "surveys/questionnaires/preview.html", "preview")
    return vary_on_htmx(render(request, template, context))


# --- questions ---------------------------------------------------------------------------------


def _question_context(request: ActorRequest, question: Any) -> dict[str, Any]:
    version = question.version
    context: dict[str, Any] = {
        "question": question,
        "version": version,
        "questionnaire": version.questionnaire,
        "options": list(question.options.order_by("position")),
        "has_options": question.kind in selectors.CHOICE_KINDS,
        "editable": editable(request.actor, version),
    }
    if context["editable"]:
        context["question_form"] = QuestionForm(initial=initial_from(question, QuestionForm))
        if context["has_options"]:
            context["option_form"] = OptionForm()
    return context


question_page = RecordPage(
    "surveys:question", selectors.get_question, "surveys/questionnaires/question.html", _question_context
)
question = staff_required(require_safe(question_page.view()))


def _delete_question(request: ActorRequest, actor: Actor, question: Any) -> HttpResponse:
    version = services.delete_question(actor, question=question)
    messages.success(request, _("The question is deleted."))
    return redirect("surveys:version", version.pk)


question_step = staff_required(
    require_POST(
        question_page.act_view(
            {
                "edit": form_step(
                    question_page,
                    "question_form",
                    QuestionForm,
                    services.update_question,
                    "question",
                    success=gettext_lazy("The question is saved."),
                ),
                "option": form_step(
                    question_page,
                    "option_form",
                    OptionForm,
                    services.add_option,
                    "question",
                    success=gettext_lazy("The option is added."),
                ),
                "delete": _delete_question,
            }
        )
    )
)


def _moved(
    request: ActorRequest, page: RecordPage[Any], record: Any, partial: str, anchor: str
) -> HttpResponse:
    """After a move: the list again for htmx (only the list is swapped), the page otherwise."""
    if getattr(request, "htmx", False):
        template = template_for(request, page.template, partial)
        return vary_on_htmx(render(request, template, page.context(request, record)))
    return redirect(reverse(page.url_name, args=[record.pk]) + anchor)


def _move_view(
    get: Callable[[Actor, int], Any],
    move: Callable[..., object],
    name: str,
    page: RecordPage[Any],
    partial: str,
    parent: Callable[[Any], Any],
) -> Callable[..., HttpResponse]:
    """The view that moves a draft's `name` ("question", "option") up or down
    among its parent's (`parent(record)`, shown on `page` with its list in
    `partial`); a move that cannot be made is said as an error."""

    @staff_required
    @require_POST
    @on_record(get)
    def view(request: ActorRequest, record: Any, direction: str) -> HttpResponse:
        try:
            move(request.actor, **{name: record}, direction=direction)
        except DomainError as exc:
            messages.error(request, str(exc))
        return _moved(request, page, parent(record), partial, f"#{name}-{record.pk}")

    return view


question_move = _move_view(
    selectors.get_question,
    services.move_question,
    "question",
    version_page,
    "questions",
    lambda question: question.version,
)


# --- options -----------------------------------------------------------------------------------


def _option_context(request: ActorRequest, option: Any) -> dict[str, Any]:
    version = option.question.version
    context: dict[str, Any] = {
        "option": option,
        "question": option.question,
        "version": version,
        "questionnaire": version.questionnaire,
        "editable": editable(request.actor, version),
    }
    if context["editable"]:
        context["option_form"] = OptionForm(initial=initial_from(option, OptionForm))
    return context


option_page = RecordPage(
    "surveys:option", selectors.get_option, "surveys/questionnaires/option.html", _option_context
)
option = staff_required(require_safe(option_page.view()))


def _edit_option(request: ActorRequest, actor: Actor, option: Any) -> HttpResponse:
    """Saved, the option lands on its question's page (where its list is)."""
    form = OptionForm(request.POST)
    saved = submit(form, lambda _data: services.update_option(actor, option=option, **form.service_input()))
    if saved is None:
        return option_page.invalid(request, option, option_form=form)
    return question_page.done(request, option.question, _("The option is saved."))


def _delete_option(request: ActorRequest, actor: Actor, option: Any) -> HttpResponse:
    question = services.delete_option(actor, option=option)
    messages.success(request, _("The option is deleted."))
    return redirect("surveys:question", question.pk)


option_step = staff_required(
    require_POST(option_page.act_view({"edit": _edit_option, "delete": _delete_option}))
)


option_move = _move_view(
    selectors.get_option,
    services.move_option,
    "option",
    question_page,
    "options",
    lambda option: option.question,
)
