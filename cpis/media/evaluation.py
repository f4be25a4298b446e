"""Element 6 of the six-monthly evaluation: the analysis of media reports
[Evaluation 6]. Reports about the place in the period by tone and topic, the
net-tone index with its 95% interval against the previous period of the same
length (the previous half-year) and the same dates a year earlier, and a monthly
tone chart. Aggregated: outlets' reports are counted, never anyone named."""

from datetime import date, timedelta

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cpis.core.evaluation import Chart, Section, Series, Table
from cpis.organisation.models import Unit

from . import selectors
from .selectors import ToneCounts
from .stats import Interval


def _period_label(start: date, end: date) -> str:
    return f"{start.isoformat()} – {end.isoformat()}"


def _net(counts: ToneCounts) -> Interval | None:
    return counts.net


def _share(interval: Interval | None) -> float | None:
    return None if interval is None else round(100 * interval.estimate, 1)


def previous_period(start: date, end: date) -> tuple[date, date]:
    """The period of the same length just before: the previous half-year for a half-year."""
    if start.day == 1 and start.month in (1, 7) and (end + timedelta(days=1)).day == 1:
        prev_end = start - timedelta(days=1)
        prev_start = date(prev_end.year, 1 if prev_end.month <= 6 else 7, 1)
        return prev_start, prev_end
    length = end - start
    return start - length - timedelta(days=1), start - timedelta(days=1)


def _summary(now: ToneCounts, previous: ToneCounts, year: ToneCounts) -> str:
    def net(counts: ToneCounts) -> str:
        interval = counts.net
        if interval is None:
            return _("no reports")
        return _("%(net)+.2f (95%% interval %(low)+.2f to %(high)+.2f, %(n)s reports)") % {
            "net": interval.estimate,
            "low": interval.low,
            "high": interval.high,
            "n": counts.total,
        }

    return _(
        "%(n)s media reports concerned this place in the period: %(positive)s positive, "
        "%(neutral)s neutral and %(negative)s negative toward the police. The net tone — the "
        "share of positive reports minus the share of negative ones, from −1 to +1, with a "
        "normal-approximation interval — was %(now)s; in the previous period %(previous)s; "
        "in the same period a year earlier %(year)s."
    ) % {
        "n": now.total,
        "positive": now.positive,
        "neutral": now.neutral,
        "negative": now.negative,
        "now": net(now),
        "previous": net(previous),
        "year": net(year),
    }


def section(unit: Unit, start: date, end: date) -> Section | None:
    """The media section for `unit` (and the places under it) from `start` to `end`;
    None when no report concerns it in the period or in the two compared with it."""
    path = unit.path
    prev_start, prev_end = previous_period(start, end)
    year_start, year_end = selectors.a_year_earlier(start), selectors.a_year_earlier(end)
    now = selectors.tone_counts_under(path, start, end)
    previous = selectors.tone_counts_under(path, prev_start, prev_end)
    year = selectors.tone_counts_under(path, year_start, year_end)
    if not (now.total or previous.total or year.total):
        return None
    coverage = selectors.coverage_of(selectors.items_under(path), start, end)
    topics = selectors.topic_tone_table(path, start, end)
    by_pk = {t.pk: t for t in selectors.list_topics(active=False)}
    topic_rows: list[list[object]] = []
    for ranked in topics:
        topic = by_pk[ranked.key]
        net = _net(ranked.counts)
        topic_rows.append(
            [
                (lambda topic=topic: topic.name),
                ranked.counts.positive,
                ranked.counts.neutral,
                ranked.counts.negative,
                ranked.counts.total,
                None if net is None else round(net.estimate, 3),
            ]
        )
    net_now = _net(now)
    topic_rows.append(
        [
            gettext_lazy("All topics"),
            now.positive,
            now.neutral,
            now.negative,
            now.total,
            None if net_now is None else round(net_now.estimate, 3),
        ]
    )
    comparison_rows: list[list[object]] = []
    for label, (a, b), counts in (
        (gettext_lazy("This period"), (start, end), now),
        (gettext_lazy("Previous period"), (prev_start, prev_end), previous),
        (gettext_lazy("A year earlier"), (year_start, year_end), year),
    ):
        net = counts.net
        comparison_rows.append(
            [
                label,
                _period_label(a, b),
                counts.total,
                _share(counts.positive_share),
                _share(counts.negative_share),
                None if net is None else round(net.estimate, 3),
                None if net is None else round(net.low, 3),
                None if net is None else round(net.high, 3),
            ]
        )
    return Section(
        element=6,
        title=gettext_lazy("Media reports"),
        summary=lambda: _summary(now, previous, year),
        tables=(
            Table(
                caption=gettext_lazy("Media reports by topic and tone toward the police"),
                columns=(
                    gettext_lazy("Topic"),
                    gettext_lazy("Positive"),
                    gettext_lazy("Neutral"),
                    gettext_lazy("Negative"),
                    gettext_lazy("Reports"),
                    gettext_lazy("Net tone"),
                ),
                rows=topic_rows,  # type: ignore[arg-type]
            ),
            Table(
                caption=gettext_lazy(
                    # xgettext:no-python-format
                    "Net tone (share positive − share negative) with its 95% interval, compared"
                ),
                columns=(
                    gettext_lazy("Period"),
                    gettext_lazy("Dates"),
                    gettext_lazy("Reports"),
                    gettext_lazy("Positive (%)"),
                    gettext_lazy("Negative (%)"),
                    gettext_lazy("Net tone"),
                    gettext_lazy("Interval, low"),
                    gettext_lazy("Interval, high"),
                ),
                rows=comparison_rows,  # type: ignore[arg-type]
            ),
        ),
        charts=(
            Chart(
                caption=gettext_lazy("Media reports per month by tone"),
                kind="bar",
                labels=[m.month.strftime("%Y-%m") for m in coverage.months],
                series=(
                    Series(gettext_lazy("Positive"), [m.counts.positive for m in coverage.months]),
                    Series(gettext_lazy("Neutral"), [m.counts.neutral for m in coverage.months]),
                    Series(gettext_lazy("Negative"), [m.counts.negative for m in coverage.months]),
                ),
                unit=gettext_lazy("reports"),
            ),
        ),
    )
