"""PDF documents with a Unicode font, so that Albanian (ë, ç) and Serbian
Cyrillic print: fpdf2 with the DejaVu fonts matplotlib ships (nothing
copied into the repository)."""

from pathlib import Path

import matplotlib
from fpdf import FPDF

FONT = "DejaVu"
FONT_DIR = Path(matplotlib.get_data_path()) / "fonts" / "ttf"


def add_fonts(pdf: FPDF) -> None:
    pdf.add_font(FONT, "", str(FONT_DIR / "DejaVuSans.ttf"))
    pdf.add_font(FONT, "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))


def new_document(*, title: str) -> FPDF:
    pdf = FPDF(format="A4")
    add_fonts(pdf)
    pdf.set_title(title)
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_page()
    pdf.set_font(FONT, size=10)
    return pdf
