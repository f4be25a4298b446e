"""The pages of a problem's PDF: A4 with a running header and "Page X of Y",
headings that never sit alone at the foot of a page, paragraphs, label and
value pairs, small tables, and dates and numbers as the reader's language
writes them. fpdf2 with the DejaVu fonts matplotlib ships (`core.pdf`), so
Albanian and Serbian Cyrillic print — in the embedded SVG charts too."""

import logging
from collections.abc import Sequence
from datetime import date, datetime

from django.utils import formats, timezone
from django.utils.translation import gettext as _
from fpdf import FPDF
from fpdf.fonts import FontFace

from cpis.core.pdf import FONT, FONT_DIR, add_fonts

# fontTools logs every font subset at INFO; fpdf2 warns that it skips an SVG's
# <title> (the PDF prints a chart's title as its caption).
logging.getLogger("fontTools.subset").setLevel(logging.WARNING)
logging.getLogger("fpdf.svg").setLevel(logging.ERROR)

# The family the charts' SVG asks for: given the DejaVu fonts, so that their
# labels print in Cyrillic too (fpdf2 would take a core font without it).
SVG_FAMILY = "sans-serif"
GREY = (110, 110, 110)
RED = (170, 30, 30)
_HEADING_FILL = (225, 230, 238)
_LABEL_WIDTH, _LINE = 44, 4.4


def clean(text: object) -> str:
    """Tabs and carriage returns have no glyph in the PDF font."""
    return str(text).replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")


def day(value: date | datetime | None) -> str:
    """A day as the reader's language writes it; a moment on the local calendar."""
    if value is None:
        return "–"
    if isinstance(value, datetime):
        value = timezone.localtime(value)
    return formats.date_format(value, "SHORT_DATE_FORMAT")


def moment(value: datetime) -> str:
    return formats.date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")


def number(value: float | None, places: int = 2) -> str:
    return "–" if value is None else str(formats.number_format(value, decimal_pos=places))


class Document(FPDF):
    """A4 pages whose running header names the problem and whose footer says
    "Page X of Y", so that a single printed page says what it belongs to."""

    def __init__(self, *, running_title: str) -> None:
        super().__init__(orientation="portrait", unit="mm", format="A4")
        add_fonts(self)
        self.add_font(SVG_FAMILY, "", str(FONT_DIR / "DejaVuSans.ttf"))
        self.add_font(SVG_FAMILY, "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
        self.set_margins(14, 17, 14)
        self.set_auto_page_break(True, margin=16)
        self.running_title = running_title
        self.page_label = _("Page %(page)s of %(total)s")

    def _fitted(self) -> str:
        """The running title, cut with an ellipsis where it is wider than the page."""
        text = self.running_title
        if self.get_string_width(text) <= self.epw:
            return text
        while text and self.get_string_width(text + "…") > self.epw:
            text = text[:-1]
        return text.rstrip() + "…"

    def header(self) -> None:
        self.set_xy(self.l_margin, 8)
        self.set_font(FONT, "", 7)
        self.set_text_color(*GREY)
        self.cell(self.epw, 4, self._fitted())
        self.set_draw_color(190, 190, 190)
        self.line(self.l_margin, 12.5, self.w - self.r_margin, 12.5)
        self.set_xy(self.l_margin, self.t_margin)
        self.set_text_color(0, 0, 0)

    def footer(self) -> None:
        self.set_y(-11)
        self.set_font(FONT, "", 7)
        self.set_text_color(*GREY)
        self.cell(
            0, 4, self.page_label % {"page": self.page_no(), "total": self.str_alias_nb_pages}, align="C"
        )
        self.set_text_color(0, 0, 0)


def heading(pdf: FPDF, text: str, *, size: float = 14, level: int | None = None) -> None:
    """A heading that never sits alone at the bottom of a page; `level` puts it in the outline."""
    if pdf.will_page_break(size * 0.6 + 16):
        pdf.add_page()
    if level is not None:
        pdf.start_section(text, level=level)
    pdf.ln(1.5 if size < 12 else 3)
    pdf.set_font(FONT, "B", size)
    pdf.multi_cell(0, size * 0.5, clean(text), align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(1)


def paragraph(
    pdf: FPDF, text: str, *, size: float = 9.5, colour: tuple[int, int, int] = (0, 0, 0), bold: bool = False
) -> None:
    pdf.set_font(FONT, "B" if bold else "", size)
    pdf.set_text_color(*colour)
    pdf.multi_cell(0, size * 0.48, clean(text), align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(0, 0, 0)
    pdf.ln(0.8)


def facts(pdf: FPDF, rows: Sequence[tuple[str, str]]) -> None:
    """Label and value, one pair a line, the value beside its label."""
    for label, value in rows:
        pdf.set_font(FONT, "B", 9)
        label_height = pdf.multi_cell(_LABEL_WIDTH, _LINE, clean(label), dry_run=True, output="HEIGHT")
        if pdf.will_page_break(label_height):
            pdf.add_page()
        page, top = pdf.page, pdf.get_y()
        pdf.multi_cell(_LABEL_WIDTH, _LINE, clean(label), align="L", new_x="RIGHT", new_y="TOP")
        pdf.set_font(FONT, "", 9)
        pdf.multi_cell(0, _LINE, clean(value) or "–", align="L", new_x="LMARGIN", new_y="NEXT")
        if pdf.page == page:
            pdf.set_y(max(pdf.get_y(), top + label_height))
        pdf.ln(0.8)


def table(pdf: FPDF, widths: Sequence[float], align: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
    """A small table whose first row is its headings, repeated on each page."""
    pdf.set_font(FONT, "", 8.5)
    pdf.set_draw_color(170, 170, 170)
    pdf.set_line_width(0.2)
    with pdf.table(
        col_widths=tuple(widths),
        width=sum(widths),
        align="LEFT",
        text_align=tuple(align),
        line_height=4,
        padding=(0.8, 1.0),
        headings_style=FontFace(emphasis="BOLD", fill_color=_HEADING_FILL),
        first_row_as_headings=True,
        repeat_headings=1,
        v_align="TOP",
    ) as grid:
        for values in rows:
            row = grid.row()
            for value in values:
                row.cell(clean(value))
    pdf.ln(2)
