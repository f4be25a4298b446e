"""The interviewers' sheets of a wave as an A4 PDF, a page (or more) per
sector, in the interviewer's language: the sector and its station, the wave
and its questionnaire, the start points with their settlement, coordinates and
the interviews to make at each, the walk rule, and a tally table to fill in at
the doors. The same texts serve the page to print (`sheet_texts`). fpdf2 is
imported inside `render_sheets`, so that importing this module costs nothing."""

from collections.abc import Sequence
from typing import Any

from django.utils import formats, translation
from django.utils.translation import gettext as _

from cpis.organisation.models import Unit

from ..models import Wave
from ..selectors.waves import SectorSheet


def sheet_texts() -> dict[str, str]:
    """The sheets' fixed texts in the active language."""
    return {
        "title": _("Interviewer's sheet"),
        "walk_heading": _("How to walk"),
        "walk_rule": _(
            "Start at the start point. Walk along the street with the houses on your left and knock at "
            "every third door on the left; in a block of flats, at every third flat from the top floor "
            "down. When nobody answers, the person refuses or nobody in the household may answer, go on "
            "to the next third door. In each household interview one person aged 18 or over: the one "
            "whose birthday comes next. Stop when you have made the interviews of the start point, and "
            "note every door you knock at in the tally table."
        ),
        "points_heading": _("Start points"),
        "tally_heading": _("Tally"),
        "number": _("No."),
        "settlement": _("Settlement"),
        "municipality": _("Municipality"),
        "coordinates": _("Coordinates (lat, lon)"),
        "interviews": _("Interviews to make"),
        "done": _("Interviews made"),
        "refused": _("Refused"),
        "nobody": _("Nobody at home"),
        "not_eligible": _("No one aged 18 or over"),
        "notes": _("Notes"),
        "no_settlement": _("(no settlement: a point in the sector)"),
        "no_points": _("No start points are drawn for this sector."),
        "interviewer": _("Interviewer"),
        "date": _("Date"),
        "signature": _("Signature"),
    }


def map_link(lat: float, lon: float) -> str:
    """The start point on OpenStreetMap, for a phone."""
    return f"https://www.openstreetmap.org/?mlat={lat:.6f}&mlon={lon:.6f}#map=17/{lat:.6f}/{lon:.6f}"


def _day(value: Any) -> str:
    return str(formats.date_format(value, "SHORT_DATE_FORMAT"))


def _clean(text: object) -> str:
    return str(text).replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")


def render_sheets(wave: Wave, unit: Unit, sheets: Sequence[SectorSheet], *, language: str) -> bytes:
    """The PDF of the sheets, labels and place names in `language`."""
    from fpdf import FPDF
    from fpdf.fonts import FontFace

    from cpis.core.pdf import FONT, add_fonts

    with translation.override(language):
        texts = sheet_texts()
        pdf = FPDF(orientation="portrait", unit="mm", format="A4")
        add_fonts(pdf)
        pdf.set_title(f"{wave.name} · {unit.name}")
        pdf.set_margins(14, 14, 14)
        pdf.set_auto_page_break(True, margin=14)
        heading_style = FontFace(emphasis="BOLD", fill_color=(225, 230, 238))

        def table(widths: Sequence[float], rows: Sequence[Sequence[str]], links: Sequence[str] = ()) -> None:
            pdf.set_font(FONT, "", 8.5)
            with pdf.table(
                col_widths=tuple(widths),
                width=sum(widths),
                align="LEFT",
                text_align="LEFT",
                line_height=5,
                headings_style=heading_style,
                first_row_as_headings=True,
                repeat_headings=1,
            ) as grid:
                for index, values in enumerate(rows):
                    row = grid.row()
                    for column, value in enumerate(values):
                        link = links[index - 1] if index and column == 3 and links else None
                        row.cell(_clean(value), link=link)
            pdf.ln(3)

        for sheet in sheets or []:
            pdf.add_page()
            sector = sheet.sector
            pdf.set_font(FONT, "", 8)
            pdf.set_text_color(110, 110, 110)
            pdf.cell(0, 4, _clean(f"{texts['title']} · {wave.name}"), new_x="LMARGIN", new_y="NEXT")
            pdf.set_text_color(0, 0, 0)
            pdf.set_font(FONT, "B", 16)
            pdf.multi_cell(0, 8, _clean(sector.name), new_x="LMARGIN", new_y="NEXT")
            pdf.set_font(FONT, "", 9.5)
            station = sector.parent.name if sector.parent else ""
            lines = [
                station,
                wave.version.title,
                _("From %(start)s to %(end)s") % {"start": _day(wave.starts_on), "end": _day(wave.ends_on)},
                _("Target: %(target)s interviews at %(points)s start points")
                % {"target": sheet.target or sheet.interviews, "points": len(sheet.points)},
            ]
            for line in lines:
                if line:
                    pdf.multi_cell(0, 5, _clean(line), new_x="LMARGIN", new_y="NEXT")
            pdf.ln(2)
            pdf.set_font(FONT, "B", 11)
            pdf.cell(0, 6, texts["walk_heading"], new_x="LMARGIN", new_y="NEXT")
            pdf.set_font(FONT, "", 9)
            pdf.multi_cell(0, 4.6, texts["walk_rule"], new_x="LMARGIN", new_y="NEXT")
            pdf.ln(2)
            pdf.set_font(FONT, "B", 11)
            pdf.cell(0, 6, texts["points_heading"], new_x="LMARGIN", new_y="NEXT")
            if not sheet.points:
                pdf.set_font(FONT, "", 9)
                pdf.cell(0, 6, texts["no_points"], new_x="LMARGIN", new_y="NEXT")
                continue
            rows = [
                [
                    texts["number"],
                    texts["settlement"],
                    texts["municipality"],
                    texts["coordinates"],
                    texts["interviews"],
                ]
            ]
            links = []
            for point in sheet.points:
                settlement = point.settlement
                rows.append(
                    [
                        str(point.sequence),
                        settlement.name if settlement else texts["no_settlement"],
                        settlement.municipality.name if settlement else "",
                        f"{point.lat:.5f}, {point.lon:.5f}",
                        str(point.interviews),
                    ]
                )
                links.append(map_link(point.lat, point.lon))
            table((12, 52, 40, 46, 32), rows, links)
            pdf.set_font(FONT, "B", 11)
            pdf.cell(0, 6, texts["tally_heading"], new_x="LMARGIN", new_y="NEXT")
            tally = [
                [
                    texts["number"],
                    texts["interviews"],
                    texts["done"],
                    texts["refused"],
                    texts["nobody"],
                    texts["not_eligible"],
                    texts["notes"],
                ]
            ]
            tally += [[str(p.sequence), str(p.interviews), "", "", "", "", ""] for p in sheet.points]
            table((12, 24, 24, 24, 24, 26, 48), tally)
            pdf.set_font(FONT, "", 9)
            for label in (texts["interviewer"], texts["date"], texts["signature"]):
                pdf.cell(
                    0, 8, f"{label}: ____________________________________", new_x="LMARGIN", new_y="NEXT"
                )
        if not sheets:
            pdf.add_page()
            pdf.set_font(FONT, "", 10)
            pdf.cell(0, 6, texts["no_points"], new_x="LMARGIN", new_y="NEXT")
        return bytes(pdf.output())
