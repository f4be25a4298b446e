"""A problem's Public summary tab [3.2.5]: its writers write it in Albanian
and Serbian (Cyrillic; the Latin is generated, English optional) once the
problem is closed as solved or reduced, and submit it; a second person
approves it — then citizens read it on the portal — or returns it with a
note; a published summary can be withdrawn."""

from typing import Any

from django import forms
from django.http import HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from cpis.core.forms import long_text
from cpis.core.i18n import to_serbian_latin
from cpis.core.views import RecordPage, on_record
from cpis.organisation.access import Actor, ActorRequest, staff_required

from ..models import Problem
from ..selectors import problems as problem_selectors
from ..selectors import summaries as selectors
from ..services import summaries as services


class SummaryForm(forms.Form):
    title_sq = forms.CharField(label=gettext_lazy("Title (Albanian)"), max_length=services.TITLE_LIMIT)
    body_sq = long_text(gettext_lazy("Summary (Albanian)"), services.BODY_LIMIT, rows=8)
    title_sr = forms.CharField(
        label=gettext_lazy("Title (Serbian, Cyrillic)"), max_length=services.TITLE_LIMIT
    )
    body_sr = long_text(gettext_lazy("Summary (Serbian, Cyrillic)"), services.BODY_LIMIT, rows=8)
    title_en = forms.CharField(
        label=gettext_lazy("Title (English, optional)"), max_length=services.TITLE_LIMIT, required=False
    )
    body_en = long_text(
        gettext_lazy("Summary (English, optional)"), services.BODY_LIMIT, rows=8, required=False
    )


class ReviewForm(forms.Form):
    note = long_text(
        gettext_lazy("Note to the writers"),
        2000,
        required=False,
        rows=3,
    )


class NoteForm(forms.Form):
    note = long_text(gettext_lazy("Why it is withdrawn"), 2000, required=False, rows=2)


def _context(request: ActorRequest, problem: Problem) -> dict[str, Any]:
    actor = request.actor
    summary = selectors.get_summary(problem)
    rights = selectors.summary_rights(actor, problem, summary)
    context: dict[str, Any] = {
        "problem": problem,
        "tab": "summary",
        "can_work": problem_selectors.can_work(actor, problem),
        "summary": summary,
        "rights": rights,
        "publishable": selectors.may_publish_problem(problem),
        "changes": selectors.list_summary_changes(problem),
    }
    if summary is not None:
        context["latin"] = {
            "title": to_serbian_latin(summary.title_sr),
            "body": to_serbian_latin(summary.body_sr),
        }
    if rights.write:
        initial = {name: getattr(summary, name) for name in selectors.TEXT_FIELDS} if summary else {}
        context["form"] = SummaryForm(initial=initial)
    if rights.review:
        context["review_form"] = ReviewForm()
    if rights.withdraw:
        context["withdraw_form"] = NoteForm()
    return context


page = RecordPage("problems:summary", problem_selectors.get_problem, "problems/summary.html", _context)


def _show_or_save(request: ActorRequest, problem: Problem) -> HttpResponse:
    """The tab; a POST saves the text (a draft)."""
    if request.method != "POST":
        return page.show(request, problem)
    return page.step(
        request,
        problem,
        "form",
        SummaryForm(request.POST),
        lambda data: services.save_summary(request.actor, problem=problem, **data),
        success=_("The summary is saved as a draft. Submit it for review when it is ready."),
    )


summary = staff_required(on_record(problem_selectors.get_problem)(_show_or_save))


def _submit(request: ActorRequest, actor: Actor, problem: Problem) -> str:
    services.submit_summary(actor, problem=problem)
    return _("The summary is sent for review. A second person approves it before citizens see it.")


def _review(approve: bool) -> Any:
    def step(request: ActorRequest, actor: Actor, problem: Problem) -> HttpResponse:
        return page.step(
            request,
            problem,
            "review_form",
            ReviewForm(request.POST),
            lambda data: services.review_summary(actor, problem=problem, approve=approve, note=data["note"]),
            success=_("The summary is published on the citizens' pages.")
            if approve
            else _("The summary is returned to its writers with your note."),
        )

    return step


def _withdraw(request: ActorRequest, actor: Actor, problem: Problem) -> HttpResponse:
    return page.step(
        request,
        problem,
        "withdraw_form",
        NoteForm(request.POST),
        lambda data: services.withdraw_summary(actor, problem=problem, note=data["note"]),
        success=_("The summary is withdrawn: citizens no longer see it."),
    )


summary_step = staff_required(
    require_POST(
        page.act_view(
            {
                **page.saying({"submit": _submit}),
                "approve": _review(True),
                "return": _review(False),
                "withdraw": _withdraw,
            }
        )
    )
)
