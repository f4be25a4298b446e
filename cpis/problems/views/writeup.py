"""The case write-up of a problem as a PDF (issue #13, item 9): for whoever
may see the problem, in the reader's language, every part from the records."""

from django.http import HttpResponse
from django.utils import translation
from django.views.decorators.http import require_safe

from cpis.core.exports import attachment
from cpis.core.views import on_record
from cpis.organisation.access import ActorRequest, staff_required

from ..charts import assessment_chart
from ..models import Problem
from ..selectors import problems
from ..selectors import writeup as selectors


@staff_required
@require_safe
@on_record(problems.get_problem)
def writeup(request: ActorRequest, problem: Problem) -> HttpResponse:
    found = selectors.get_writeup(request.actor, problem)
    chart = None
    if found.assessment is not None:
        chart = assessment_chart(
            found.assessment.series,
            response_date=found.assessment.response_date,
            window_days=found.assessment.window_days,
        )
    from ..pdf import writeup as pdf  # fpdf2 is heavy to import: only when a PDF is asked for

    body = pdf.render_writeup(found, language=translation.get_language(), chart=chart)
    return attachment(HttpResponse(body, content_type="application/pdf"), f"problem-{problem.pk}-writeup.pdf")
