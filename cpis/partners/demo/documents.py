"""Agreements saved with a few small signed PDFs."""

import io
import re
import unicodedata
from datetime import date

from django.core.files.base import ContentFile
from fpdf import FPDF

from cpis.core.i18n import to_serbian_latin

from ..models import Agreement, Partner
from .words import DOCUMENTS


def ascii_text(text: str) -> str:
    text = to_serbian_latin(text).replace("đ", "dj").replace("Đ", "Dj").replace("–", "-")
    text = text.replace("„", '"').replace("”", '"')
    folded = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return folded.encode("ascii", "replace").decode("ascii")


def _pdf(title: str, parties: str, signed_on: date) -> bytes:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", style="B", size=14)
    pdf.multi_cell(0, 8, text=ascii_text(title), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("helvetica", size=11)
    pdf.multi_cell(
        0, 6, text=ascii_text(f"Palet: Policia e Kosoves dhe {parties}"), new_x="LMARGIN", new_y="NEXT"
    )
    pdf.multi_cell(0, 6, text=f"Nenshkruar me {signed_on:%d.%m.%Y}", new_x="LMARGIN", new_y="NEXT")
    out = io.BytesIO()
    pdf.output(out)
    return out.getvalue()


def save_agreements(agreements: list[tuple[Agreement, list[Partner]]]) -> int:
    Agreement.objects.bulk_create([a for a, _p in agreements], batch_size=1000)
    links = [
        Agreement.partners.through(agreement_id=agreement.pk, partner_id=partner.pk)
        for agreement, partners in agreements
        for partner in partners
    ]
    Agreement.partners.through.objects.bulk_create(links, batch_size=2000)
    signed = [(a, p) for a, p in agreements if a.signed_on is not None]
    step = max(1, len(signed) // DOCUMENTS)
    documented = []
    for agreement, partners in signed[::step][:DOCUMENTS]:
        if agreement.signed_on is None:
            continue
        data = _pdf(agreement.title, ", ".join(p.name for p in partners), agreement.signed_on)
        name = f"{re.sub(r'[^a-z0-9]+', '-', ascii_text(agreement.title).lower())[:60].strip('-')}.pdf"
        agreement.document.save(name, ContentFile(data), save=False)
        agreement.document_name, agreement.document_size = name, len(data)
        documented.append(agreement)
    Agreement.objects.bulk_update(documented, ["document", "document_name", "document_size"])
    return len(documented)
