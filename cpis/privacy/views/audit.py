"""The audit trail: the data-protection officer searches the access log,
exports what was found, sees the alerts and the state of the hash chain,
and checks the chain."""

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cpis.core.exports import download
from cpis.core.forms import paginate, query_without_page
from cpis.organisation.access import ActorRequest, staff_required

from ..forms.audit import AuditFilterForm
from ..selectors import audit as selectors
from ..services import audit as services

PAGE_SIZE = 50


def _form(request: ActorRequest) -> tuple[AuditFilterForm, selectors.AuditFilters]:
    """The filter form, its period filled in with the last 30 days where the
    query gives none, and the filters it stands for."""
    default = selectors.default_period()
    first, last = selectors.default_days()
    data: QueryDict = request.GET.copy()
    if not data.get("since"):
        data["since"] = first.isoformat()
    if not data.get("until"):
        data["until"] = last.isoformat()
    form = AuditFilterForm(data, record_types=selectors.list_record_types())
    return form, form.filters(default=default)


@staff_required
def audit(request: ActorRequest) -> HttpResponse:
    """Who read whose personal data, why, and who tried and was refused."""
    actor = request.actor
    selectors.require_audit(actor)
    form, filters = _form(request)
    page = paginate(request, selectors.list_entries(actor, filters), PAGE_SIZE)
    page.object_list = selectors.describe(page.object_list)
    context = {
        "form": form,
        "page": page,
        "query_string": query_without_page(request.GET),
        "alerts": selectors.list_alerts(actor, start=filters.start, end=filters.end),
        "readers": selectors.list_readers(actor, start=filters.start, end=filters.end),
        "last_check": selectors.get_last_check(actor),
        "reads_per_hour": settings.ACCESS_ALERT_READS_PER_HOUR,
        "refusals_per_hour": settings.ACCESS_ALERT_REFUSALS_PER_HOUR,
    }
    return render(request, "privacy/audit.html", context)


@staff_required
def export(request: ActorRequest) -> HttpResponse:
    """The matching entries as CSV; the export is written to the log."""
    actor = request.actor
    selectors.require_audit(actor)
    _unused, filters = _form(request)
    rows = services.export_entries(actor, filters, request=request)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    # Personal data: core's NoStoreMiddleware keeps it out of every cache.
    return download(selectors.export_header(), rows, "csv", name=f"access-log-{stamp}")


@staff_required
@require_POST
def check_chain(request: ActorRequest) -> HttpResponse:
    """Check the access log's chain now, and record the check."""
    check = services.check_chain(request.actor)
    if check.intact:
        messages.success(
            request,
            _("The access log is intact: %(entries)s entries, up to entry %(head)s.")
            % {"entries": check.entries, "head": check.head_seq},
        )
    else:
        messages.error(
            request,
            _("The access log is broken at entry %(entry)s: %(problem)s.")
            % {"entry": check.broken_at, "problem": check.problem},
        )
    return redirect("privacy:audit")
