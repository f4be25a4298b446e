"""The waves a user may export, and a wave's anonymised responses as CSV, XLSX
or SPSS .sav (see `selectors.exports` for what is in them and what is withheld)."""

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from cpis.core.exports import attachment
from cpis.organisation.access import ActorRequest, staff_required

from ..reports import responses
from ..selectors import exports as selectors


@staff_required
def export_list(request: ActorRequest) -> HttpResponse:
    """The waves the user may export, each with its download links."""
    waves = selectors.list_exportable_waves(request.actor)
    return render(request, "surveys/exports.html", {"waves": waves, "formats": selectors.FORMATS})


@staff_required
def export_wave(request: ActorRequest, wave_id: int, fmt: str) -> HttpResponse:
    """One wave's anonymised responses as a file; the download is written to the
    personal-data access log."""
    if fmt not in selectors.FORMATS:
        raise Http404(_("Not found."))
    actor = request.actor
    wave = selectors.get_export_wave(actor, wave_id)
    data = selectors.response_data(actor, wave, request=request)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response = HttpResponse(responses.to_bytes(data, fmt), content_type=responses.CONTENT_TYPES[fmt])
    return attachment(response, f"survey-wave-{wave.pk}-{stamp}.{fmt}")
