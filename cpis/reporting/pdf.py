"""A forum and partner report as a PDF: figures, texts and its review history."""

from django.utils import formats
from django.utils.translation import gettext as _
from fpdf.enums import XPos, YPos

from cpis.core.pdf import FONT, new_document

from .figures import LABELS
from .models import Report


def render(report: Report) -> bytes:
    title = _("Report on forums and partners: %(unit)s, %(month)s") % {
        "unit": report.unit.name, "month": formats.date_format(report.period_start, "F Y"),
    }  # fmt: skip
    pdf = new_document(title=title)
    pdf.set_font(FONT, "B", 14)
    pdf.multi_cell(0, 7, title, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(FONT, size=9)
    pdf.multi_cell(
        0, 5, _("Status: %(status)s · version %(version)s") % {
            "status": report.get_status_display(), "version": report.version,
        }, new_x=XPos.LMARGIN, new_y=YPos.NEXT,
    )  # fmt: skip
    pdf.ln(3)
    pdf.set_font(FONT, "B", 11)
    pdf.cell(0, 6, _("From the records"), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(FONT, size=10)
    with pdf.table(col_widths=(140, 30), text_align=("LEFT", "RIGHT")) as table:
        for key, value in report.figures.items():
            row = table.row()
            row.cell(str(LABELS.get(key, key)))
            row.cell(str(value))
    for label, text in [
        (_("Issues raised by the community"), report.issues),
        (_("Actions taken and outcomes"), report.actions),
        (_("Needs and requests"), report.needs),
        (_("Other remarks"), report.remarks),
    ]:
        pdf.ln(3)
        pdf.set_font(FONT, "B", 11)
        pdf.cell(0, 6, label, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.set_font(FONT, size=10)
        pdf.multi_cell(0, 5, text or "—", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(3)
    pdf.set_font(FONT, "B", 11)
    pdf.cell(0, 6, _("Reviews"), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(FONT, size=9)
    for review in report.reviews.select_related("reviewer"):
        line = _("%(when)s · v%(version)s · %(stage)s · %(decision)s by %(who)s") % {
            "when": formats.date_format(review.at, "SHORT_DATETIME_FORMAT"), "version": review.version,
            "stage": review.get_stage_display(), "decision": review.get_decision_display(),
            "who": review.reviewer.get_username() if review.reviewer else "—",
        }  # fmt: skip
        pdf.multi_cell(
            0,
            5,
            line + (f": {review.comment}" if review.comment else ""),
            new_x=XPos.LMARGIN,
            new_y=YPos.NEXT,
        )
    return bytes(pdf.output())
