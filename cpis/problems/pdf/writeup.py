"""A problem's case write-up as an A4 PDF, in the shape of a Goldstein Award
submission (POP Center): a summary, then scanning, analysis, response and
assessment, the history, and the methods with their references. Every part
comes from the records (`selectors.writeup`); the labels are in the reader's
language and what people wrote is printed as written. A citizen on the team
is "a citizen", never named."""

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from fpdf import FPDF

from cpis.core.pdf import FONT

from ..selectors.writeup import Writeup
from . import assessment
from .layout import GREY, Document, clean, day, facts, heading, moment, number, paragraph, table

# --- the title page and the summary --------------------------------------------------------


def _title_block(pdf: FPDF, w: Writeup) -> None:
    problem = w.problem
    pdf.set_font(FONT, "B", 18)
    pdf.multi_cell(0, 8.5, clean(problem.title), align="L", new_x="LMARGIN", new_y="NEXT")
    paragraph(
        pdf,
        _("Case write-up of problem %(number)s, from the records on %(date)s")
        % {"number": problem.pk, "date": day(w.written_on)},
        size=10,
        colour=GREY,
    )
    pdf.ln(2)
    stage = str(problem.get_stage_display())
    if problem.outcome:
        stage = _("%(stage)s, outcome: %(outcome)s") % {
            "stage": stage,
            "outcome": problem.get_outcome_display(),
        }
    rows = [
        (_("Place"), w.place),
        (_("Owner"), problem.owner.full_name if problem.owner else _("Nobody owns the problem yet.")),
        (_("Team"), _team(w) or _("Nobody works the problem beside its owner yet.")),
        (_("Stage"), stage),
        (_("Opened"), day(problem.created_at)),
    ]
    if problem.closed_at:
        rows.append((_("Closed"), day(problem.closed_at)))
    if w.assessment is not None:
        rows.append((_("Response date"), day(w.assessment.response_date)))
    facts(pdf, rows)


def _team(w: Writeup) -> str:
    lines = []
    for member in w.team:
        if not member.name:
            lines.append(_("A citizen (consent given on %(day)s)") % {"day": day(member.consent_on)})
            continue
        line = _("%(name)s (%(kind)s)") % {"name": member.name, "kind": member.kind_label}
        lines.append(f"{line} · {member.role}" if member.role else line)
    return "\n".join(lines)


def _summary(pdf: FPDF, w: Writeup) -> None:
    problem = w.problem
    heading(pdf, _("Summary"), level=0)
    paragraph(pdf, problem.description or _("No description yet."))
    if problem.outcome:
        paragraph(
            pdf,
            _("Closed as “%(outcome)s” on %(date)s.")
            % {"outcome": problem.get_outcome_display(), "date": day(problem.closed_at)},
            bold=True,
        )
        if problem.outcome_reason:
            paragraph(pdf, problem.outcome_reason)
    else:
        paragraph(pdf, _("Open, at the stage %(stage)s.") % {"stage": problem.get_stage_display()}, bold=True)
    if w.assessment is None:
        paragraph(pdf, _("No assessment yet."), colour=GREY)
        return
    for line in assessment.headline(w.assessment):
        paragraph(pdf, line)


# --- scanning ------------------------------------------------------------------------------


def _scanning(pdf: FPDF, w: Writeup) -> None:
    heading(pdf, _("Scanning"), level=0)
    heading(pdf, _("Sources"), size=11)
    if w.sources:
        rows = [[_("Kind"), _("What"), _("Linked at")]]
        rows += [[str(s.get_kind_display()), s.label, day(s.linked_at)] for s in w.sources]
        table(pdf, (40, 118, 24), ("LEFT", "LEFT", "LEFT"), rows)
    else:
        paragraph(pdf, _("No source linked: the problem was opened by hand."))
    facts(
        pdf,
        [
            (_("Incident categories"), ", ".join(w.incident_categories) or "–"),
            (_("Concern categories"), ", ".join(w.concern_categories) or "–"),
            (_("Target area"), _target_area(w)),
        ],
    )


def _target_area(w: Writeup) -> str:
    target, km2 = w.target, number(w.target.km2)
    if target.drawn and target.centre is not None:
        lat, lon = target.centre
        return _("The area drawn for the problem (%(km2)s km²), centred on %(lat)s, %(lon)s.") % {
            "km2": km2,
            "lat": f"{lat:.5f}",
            "lon": f"{lon:.5f}",
        }
    if target.km2 is None:
        return _("The place's whole area: the sectors of %(place)s.") % {"place": w.problem.unit.name}
    return _("The place's whole area: the boundary of %(place)s (%(km2)s km²).") % {
        "place": w.problem.unit.name,
        "km2": km2,
    }


# --- analysis ------------------------------------------------------------------------------


def _analysis(pdf: FPDF, w: Writeup) -> None:
    heading(pdf, _("Analysis"), level=0)
    heading(pdf, _("Problem-analysis triangle"), size=11)
    for side in w.triangle:
        paragraph(pdf, side.label, bold=True)
        paragraph(pdf, _("Controlled by: %(controller)s") % {"controller": side.controller}, colour=GREY)
        if not side.entries:
            paragraph(pdf, _("Nothing recorded on this side yet."), colour=GREY)
        for entry in side.entries:
            paragraph(pdf, f"• {entry.description}")
            if entry.controller:
                paragraph(pdf, f"   {side.controller}: {entry.controller}", colour=GREY)
    heading(pdf, _("Routine activity"), size=11)
    paragraph(pdf, w.problem.routine_activity or _("No routine-activity notes yet."))
    heading(pdf, _("Hypotheses"), size=11)
    if not w.hypotheses:
        paragraph(pdf, _("No hypotheses yet."))
    for index, hypothesis in enumerate(w.hypotheses, start=1):
        paragraph(pdf, f"{index}. {hypothesis.text}", bold=True)
        paragraph(
            pdf,
            _("What the data shows: %(status)s") % {"status": hypothesis.get_status_display()},
            colour=GREY,
        )
        if hypothesis.evidence:
            paragraph(pdf, _("Evidence: %(evidence)s") % {"evidence": hypothesis.evidence})
    _panel(pdf, w)


def _panel(pdf: FPDF, w: Writeup) -> None:
    panel = w.panel
    heading(pdf, _("Data panel"), size=11)
    paragraph(
        pdf,
        _(
            "Counted from the recorded incidents and citizens' concerns, not typed: %(start)s – %(end)s, "
            "the last 24 complete months."
        )
        % {"start": day(panel.start), "end": day(panel.end)},
        colour=GREY,
    )
    if panel.surroundings_km2:
        around = _("The rest of %(place)s (%(km2)s km²)") % {
            "place": panel.surroundings.name,
            "km2": number(panel.surroundings_km2),
        }
    else:
        around = _("The rest of %(place)s") % {"place": panel.surroundings.name}
    if panel.partial:
        around += "\n" + _(
            "You may see the records of %(seen)s of its %(total)s sectors: "
            "the surroundings are those sectors only."
        ) % {"seen": panel.sectors_seen, "total": panel.sectors_total}
    facts(pdf, [(_("Surroundings"), around)])
    rows = [["", _("Target area"), _("Surroundings"), _("Times as dense")]]
    for series, label in (
        (panel.incidents, _("Incidents in the 24 months")),
        (panel.concerns, _("Concerns in the 24 months")),
    ):
        rows.append([label, str(series.inside_total), str(series.outside_total), "–"])
        rows.append(
            [
                _("per km² per month"),
                number(series.inside_density),
                number(series.outside_density),
                number(series.density_ratio, 1),
            ]
        )
    table(pdf, (70, 36, 36, 36), ("LEFT", "RIGHT", "RIGHT", "RIGHT"), rows)
    if panel.concerns.unplaced:
        paragraph(
            pdf,
            ngettext(
                "%(count)s concern of these months has no point on the map and is not counted above.",
                "%(count)s concerns of these months have no point on the map and are not counted above.",
                panel.concerns.unplaced,
            )
            % {"count": panel.concerns.unplaced},
            colour=GREY,
        )
    _when_and_where(pdf, w)


def _when_and_where(pdf: FPDF, w: Writeup) -> None:
    panel = w.panel
    profile, repeats = panel.profile, panel.repeats
    heading(pdf, _("When: hour of the day and day of the week"), size=10)
    paragraph(
        pdf,
        _("%(known)s incidents in the target area with a known time; %(unknown)s with the time unknown.")
        % {"known": profile.known, "unknown": profile.unknown_hour},
    )
    if w.busiest_days:
        days = ", ".join(f"{b.label} ({b.count})" for b in w.busiest_days)
        hours = ", ".join(f"{b.label} ({b.count})" for b in w.busiest_hours)
        paragraph(pdf, _("Busiest days: %(days)s.") % {"days": days})
        paragraph(pdf, _("Busiest hours: %(hours)s.") % {"hours": hours})
    heading(pdf, _("Repeat locations"), size=10)
    if repeats.locations:
        paragraph(
            pdf,
            _(
                "%(locations)s locations had two incidents or more: %(at)s of the %(total)s incidents "
                "in the area (%(share)s %%)."
            )
            % {
                "locations": repeats.locations,
                "at": repeats.at_repeats,
                "total": repeats.total,
                "share": number(repeats.share, 0),
            },
        )
        paragraph(
            pdf,
            _(
                "Incidents within the same 25 m square count as one location; "
                "the position is the average of its incidents."
            ),
            colour=GREY,
        )
    else:
        paragraph(
            pdf,
            ngettext(
                "No location had two incidents or more (%(total)s incident in the area).",
                "No location had two incidents or more (%(total)s incidents in the area).",
                repeats.total,
            )
            % {"total": repeats.total},
        )
    heading(pdf, _("Near-repeat pattern"), size=10)
    if not panel.near_repeats:
        paragraph(pdf, _("No near-repeat analysis is linked to this problem."))
    for found in panel.near_repeats:
        if not found.rows:
            text = str(found.run.get_status_display())
        elif found.sentence:
            text = found.sentence
        else:
            text = _("No cell is both significant and meaningful: no near-repeat alert for these events.")
        paragraph(pdf, f"{found.run}: {text}")


# --- response ------------------------------------------------------------------------------


def _response(pdf: FPDF, w: Writeup) -> None:
    heading(pdf, _("Response"), level=0)
    if not w.actions:
        paragraph(pdf, _("No actions yet."))
    for index, action in enumerate(w.actions, start=1):
        if pdf.will_page_break(24):
            pdf.add_page()
        paragraph(pdf, f"{index}. {action.title}", bold=True, size=10)
        technique = _("%(technique)s (%(group)s)") % {
            "technique": action.get_technique_display(),
            "group": w.technique_groups.get(action.technique, ""),
        }
        owner = action.owner_officer.full_name if action.owner_officer else str(action.owner_partner or "–")
        rows = [
            (_("Technique"), technique),
            (_("Owner"), owner),
            (_("Due on"), day(action.due_on)),
            (_("Status"), str(action.get_status_display())),
        ]
        if action.forum is not None:
            rows.append((_("Forum"), action.forum.name))
        if action.done_on:
            rows.append((_("Done on"), day(action.done_on)))
        if action.description:
            rows.append((_("Details"), action.description))
        if action.evidence:
            rows.append((_("Evidence"), action.evidence))
        facts(pdf, rows)
        pdf.ln(1)


# --- the history, the methods and their references -----------------------------------------


def _history(pdf: FPDF, w: Writeup) -> None:
    heading(pdf, _("History"), level=0)
    for line in w.history:
        paragraph(pdf, f"{moment(line.at)} · {line.text}", size=8.5)
        if line.note:
            paragraph(pdf, f"    {line.note}", size=8.5, colour=GREY)


REFERENCES = (
    "Bowers, K. J. and Johnson, S. D. (2003). Measuring the geographical displacement and diffusion of "
    "benefit effects of crime prevention activity. Journal of Quantitative Criminology 19(3), 275–301.",
    "Clarke, R. V. and Eck, J. E. (2005). Crime Analysis for Problem Solvers in 60 Small Steps. "
    "Washington, DC: Office of Community Oriented Policing Services.",
    "Cornish, D. B. and Clarke, R. V. (2003). Opportunities, precipitators and criminal decisions. "
    "Crime Prevention Studies 16, 41–96.",
    "Farrington, D. P. and Welsh, B. C. (2002). Improved street lighting and crime prevention. "
    "Justice Quarterly 19(2), 313–342.",
    "Guerette, R. T. (2009). Analyzing Crime Displacement and Diffusion. Problem-Oriented Guides for "
    "Police, Problem-Solving Tools Series No. 10. "
    "Washington, DC: Office of Community Oriented Policing Services.",
)


def _methods(pdf: FPDF) -> None:
    heading(pdf, _("Methods and references"), level=0)
    for text in (
        _(
            "Every figure in this write-up is counted from the records the reader may see on the day it was "
            "written; nothing in it was typed for it. Text people wrote is printed as they wrote it."
        ),
        _(
            "Rate ratio: exact interval for Poisson counts. Relative effect: (before × control after) ÷ "
            "(after × control before), above 1 when the target improved against the control. WDQ after "
            "Bowers and Johnson (2003): above 0 diffusion of benefits, below 0 displacement."
        ),
    ):
        paragraph(pdf, text)
    pdf.ln(1)
    for reference in REFERENCES:
        paragraph(pdf, reference, size=8.5)


def render_writeup(writeup: Writeup, *, language: str, chart: str | None = None) -> bytes:
    """The case write-up as an A4 PDF in `language` (sq, sr, sr-latn, en).
    `chart` is the assessment's SVG (`charts.assessment_chart`), drawn under
    its figures; the document's outline has a section per part."""
    with translation.override(language):
        problem = writeup.problem
        title = _("Case write-up: %(title)s") % {"title": problem.title}
        pdf = Document(running_title=f"{title} · {writeup.place}")
        pdf.set_title(title)
        pdf.set_subject(writeup.place)
        pdf.set_creator("CPIS")
        pdf.set_lang(language)
        pdf.add_page()
        _title_block(pdf, writeup)
        _summary(pdf, writeup)
        _scanning(pdf, writeup)
        _analysis(pdf, writeup)
        _response(pdf, writeup)
        assessment.section(pdf, writeup, chart)
        _history(pdf, writeup)
        _methods(pdf)
        return bytes(pdf.output())
