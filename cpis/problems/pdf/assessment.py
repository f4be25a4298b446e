"""The assessment in a problem's write-up: what was assumed (windows, buffer,
control, categories), the six counts, the rate ratio and the relative effect
with their intervals, the WDQ and its reading in words, the weekly chart; and
the headline of the summary. The sentences are the Assessment tab's."""

import io
from datetime import timedelta

from django.utils.translation import gettext as _
from fpdf import FPDF

from cpis.organisation.models import UnitKind

from ..models import Assessment, Reading
from ..selectors.writeup import Writeup
from .layout import GREY, RED, day, facts, heading, moment, number, paragraph, table


def headline(a: Assessment) -> list[str]:
    """What the assessment found, in a few sentences."""
    lines = []
    if provisional(a):
        lines.append(_("The assessment is provisional: its after-window has not ended."))
    if a.rate_ratio is None:
        lines.append(
            _(
                "Cannot be computed: no incidents before the response date in the target area, "
                "or no day after it yet."
            )
        )
    else:
        percent = round(abs(1 - a.rate_ratio) * 100)
        values = {"date": day(a.response_date), "percent": percent, "ratio": number(a.rate_ratio)}
        if a.rate_ratio < 1:
            text = _(
                "After the response date, %(date)s, incidents in the target area fell by %(percent)s %% "
                "(rate ratio %(ratio)s)."
            )
        elif a.rate_ratio > 1:
            text = _(
                "After the response date, %(date)s, incidents in the target area rose by %(percent)s %% "
                "(rate ratio %(ratio)s)."
            )
        else:
            text = _("After the response date, %(date)s, incidents in the target area did not change.")
        lines += [text % values, _rate_ratio_verdict(a)]
    if a.relative_effect is not None:
        lines.append(_relative_effect_verdict(a))
    if a.reading:
        lines.append(f"{a.get_reading_display()}.")
    return lines


def provisional(a: Assessment) -> bool:
    return a.data_until is None or a.data_until < a.response_date + timedelta(days=a.window_days)


def interval(value: float | None, low: float | None, high: float | None) -> str:
    if high is None:
        return _("%(ratio)s (95 %% interval from %(low)s, with no upper bound).") % {
            "ratio": number(value),
            "low": number(low),
        }
    return _("%(ratio)s (95 %% interval %(low)s to %(high)s).") % {
        "ratio": number(value),
        "low": number(low),
        "high": number(high),
    }


def _rate_ratio_verdict(a: Assessment) -> str:
    if a.rate_ratio_high is not None and a.rate_ratio_high < 1:
        return _("Incidents fell in the target area by more than chance explains.")
    if a.rate_ratio_low is not None and a.rate_ratio_low > 1:
        return _("Incidents rose in the target area by more than chance explains.")
    return _("The change in the target area is within what chance gives.")


def _relative_effect_verdict(a: Assessment) -> str:
    if a.relative_effect_low is not None and a.relative_effect_low > 1:
        return _("The target area improved more than the control area, beyond chance.")
    if a.relative_effect_high is not None and a.relative_effect_high < 1:
        return _("The target area did worse than the control area, beyond chance.")
    return _("Against the control area, the change is within what chance gives.")


def _wdq_words(a: Assessment) -> str:
    wdq = a.wdq
    if a.reading == Reading.DIFFUSION and wdq is not None:
        if wdq > 1:
            return _("The buffer improved even more than the target area: the benefit spread beyond it.")
        return _("The buffer improved too: part of the benefit spread beyond the target area.")
    if a.reading == Reading.DISPLACEMENT and wdq is not None:
        if wdq < -1:
            return _("More incidents moved into the buffer than the target area lost: a net loss.")
        if wdq == -1:
            return _("As many incidents moved into the buffer as the target area lost: no gain overall.")
        return _("Some incidents moved into the buffer, fewer than the target area lost.")
    if a.reading == Reading.NEITHER:
        return _(
            "The buffer changed too little, or no more than chance, to speak of displacement or diffusion."
        )
    if a.reading == Reading.NO_EFFECT:
        return _(
            "The target area did not improve against the control area, so there is no success to weigh "
            "displacement against."
        )
    return _("Cannot be computed: the control area had no incidents in one of the windows.")


def _assumed(w: Writeup, a: Assessment) -> list[tuple[str, str]]:
    """What the assessment assumed: the windows, the areas, the categories."""
    response, days = a.response_date, a.window_days
    windows = " ".join(
        [
            _("Before: %(days)s days, %(start)s to %(end)s.")
            % {
                "days": days,
                "start": day(response - timedelta(days=days)),
                "end": day(response - timedelta(days=1)),
            },
            _("After: %(days)s days, %(start)s to %(end)s.")
            % {
                "days": days,
                "start": day(response + timedelta(days=1)),
                "end": day(response + timedelta(days=days)),
            },
            _("The response date, %(response)s, is in neither.") % {"response": day(response)},
        ]
    )
    problem = w.problem
    if problem.area:
        target = _("The area drawn for the problem.")
    else:
        target = _("The boundary of %(place)s.") % {"place": problem.unit.name}
    if a.control_unit is not None:
        control = _("The sectors of %(place)s, outside the target area and the buffer.") % {
            "place": a.control_unit.name
        }
    elif problem.unit.kind == UnitKind.REGION:
        control = _("The rest of the region, outside the target area and the buffer.")
    else:
        control = _("The rest of the station, outside the target area and the buffer.")
    computed = moment(a.computed_at)
    if a.recorded_by is not None:
        computed += " · " + (a.recorded_by.get_full_name() or a.recorded_by.get_username())
    return [
        (_("Response date"), day(response)),
        (_("Windows"), windows),
        (_("Target area"), target),
        (
            _("Buffer"),
            _(
                "A ring %(metres)s m wide around the target area, "
                "including the parts in neighbouring stations."
            )
            % {"metres": a.buffer_m},
        ),
        (_("Control area"), control),
        (_("Incident categories counted"), ", ".join(w.assessed_categories)),
        (_("Data until"), day(a.data_until)),
        (_("Computed"), computed),
    ]


def section(pdf: FPDF, w: Writeup, chart: str | None) -> None:
    heading(pdf, _("Assessment"), level=0)
    a = w.assessment
    if a is None:
        paragraph(pdf, _("No assessment yet."))
        return
    if provisional(a):
        paragraph(
            pdf,
            _(
                "Provisional: the after-window ends on %(end)s and the records were counted up to "
                "%(until)s. The figures compare rates per day, and are computed again each day until "
                "the window has ended."
            )
            % {"end": day(a.response_date + timedelta(days=a.window_days)), "until": day(a.data_until)},
            colour=RED,
            bold=True,
        )
    heading(pdf, _("What was assumed"), size=11)
    facts(pdf, _assumed(w, a))
    heading(pdf, _("Incidents before and after the response date"), size=11)
    rows = [[_("Area"), _("Before"), _("After")]]
    rows += [
        [_("Target area"), str(a.target_before), str(a.target_after)],
        [_("Buffer"), str(a.buffer_before), str(a.buffer_after)],
        [_("Control area"), str(a.control_before), str(a.control_after)],
    ]
    table(pdf, (70, 30, 30), ("LEFT", "RIGHT", "RIGHT"), rows)
    heading(pdf, _("What the records show"), size=11)
    if a.rate_ratio is None:
        rate_ratio = _(
            "Cannot be computed: no incidents before the response date in the target area, "
            "or no day after it yet."
        )
    else:
        rate_ratio = f"{interval(a.rate_ratio, a.rate_ratio_low, a.rate_ratio_high)} {_rate_ratio_verdict(a)}"
    if a.relative_effect is None:
        relative = _("Cannot be computed: the target or the control area had no incidents.")
    else:
        relative = (
            f"{interval(a.relative_effect, a.relative_effect_low, a.relative_effect_high)} "
            f"{_relative_effect_verdict(a)}"
        )
    wdq = f"{number(a.wdq)}: " if a.wdq is not None else ""
    reading = f"{a.get_reading_display()}. " if a.reading else ""
    rows_found = [
        (_("Rate ratio in the target area"), rate_ratio),
        (_("Relative effect against the control area"), relative),
        (_("Weighted displacement quotient"), f"{wdq}{reading}{_wdq_words(a)}"),
    ]
    net = (a.series or {}).get("total_net_effect")
    if net is not None:
        rows_found.append(
            (
                _("Total net effect"),
                _(
                    "%(net)s incidents prevented, the buffer's change included (negative: more incidents "
                    "than the control area's trend predicts)."
                )
                % {"net": number(net, 0)},
            )
        )
    facts(pdf, rows_found)
    if chart:
        _chart(pdf, a, chart)


def _chart(pdf: FPDF, a: Assessment, chart: str) -> None:
    heading(pdf, _("Week by week"), size=11)
    paragraph(
        pdf,
        _("Incidents per week before and after the response date, %(date)s") % {"date": day(a.response_date)},
        colour=GREY,
        size=8.5,
    )
    if pdf.will_page_break(95):
        pdf.add_page()
    pdf.image(io.BytesIO(chart.encode()), w=pdf.epw)
    pdf.ln(2)
