"""Element 2 of the strategy's six-monthly evaluation: individual performance
evaluations. Aggregated: no officer is named and no score of one officer can be
read from it; fewer than three evaluations signed in the place and period show
no figures at all."""

from collections import defaultdict
from collections.abc import Callable
from datetime import date
from statistics import mean

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cpis.core.evaluation import Chart, Section, Series, Table
from cpis.core.i18n import pick
from cpis.organisation.models import Unit, translations

from .models import Outcome, Rating
from .selectors import signed_in

# Below this many evaluations a figure could single an officer out.
MINIMUM = 3
# Bands of the weighted score (1–5): [lower, upper).
BANDS = ((1.0, 2.0), (2.0, 3.0), (3.0, 4.0), (4.0, 5.01))
BAND_LABELS = ("1–2", "2–3", "3–4", "4–5")


def section(unit: Unit, start: date, end: date) -> Section | None:
    """The evaluations signed in the period at the place: how many, the
    distribution of weighted scores, the mean of each community-policing
    criterion, the share acknowledged without appeal, appeals and outcomes."""
    evaluations = list(signed_in(unit.path, start, end).select_related("appeal"))
    count = len(evaluations)
    if count == 0:
        return None
    title = gettext_lazy("Individual performance evaluations")
    if count < MINIMUM:
        return Section(
            element=2,
            title=title,
            summary=gettext_lazy(
                "Fewer than three performance evaluations were signed in this place and period: "
                "no figures are shown, so that no officer can be singled out."
            ),
        )
    scores = [float(e.score or 0) for e in evaluations]
    bands = [sum(1 for s in scores if low <= s < high) for low, high in BANDS]
    appeals = [getattr(e, "appeal", None) for e in evaluations]
    appealed = [a for a in appeals if a is not None]
    upheld = sum(1 for a in appealed if a.outcome == Outcome.UPHELD)
    changed = sum(1 for a in appealed if a.outcome == Outcome.CHANGED)
    without_appeal = count - len(appealed)
    share = 100 * without_appeal / count
    average = mean(scores)

    per_criterion: dict[str, list[int]] = defaultdict(list)
    names: dict[str, dict[str, str]] = {}
    ratings = Rating.objects.filter(
        evaluation_id__in=[e.pk for e in evaluations],
        criterion__is_community_policing=True,
        score__isnull=False,
    ).select_related("criterion")
    for rating in ratings.order_by("criterion__order", "criterion_id"):
        per_criterion[rating.criterion.code].append(rating.score or 0)
        names.setdefault(rating.criterion.code, translations(rating.criterion, "label"))

    def criterion_label(code: str) -> Callable[[], str]:
        return lambda: pick(names[code])

    figures = Table(
        caption=gettext_lazy("Evaluations signed in the period"),
        columns=[gettext_lazy("Figure"), gettext_lazy("Value")],
        rows=[
            [gettext_lazy("Evaluations signed"), count],
            [gettext_lazy("Mean weighted score (1–5)"), round(average, 2)],
            [gettext_lazy("Acknowledged without appeal (%)"), round(share, 1)],
            [gettext_lazy("Appealed"), len(appealed)],
            [gettext_lazy("Appeals upheld"), upheld],
            [gettext_lazy("Appeals that changed ratings"), changed],
        ],
    )
    criteria = Table(
        caption=gettext_lazy("Community-policing criteria: mean rating (1–5)"),
        columns=[gettext_lazy("Criterion"), gettext_lazy("Mean rating"), gettext_lazy("Ratings")],
        rows=[
            [criterion_label(code), round(mean(values), 2), len(values)]
            for code, values in per_criterion.items()
            if len(values) >= MINIMUM
        ],
    )
    chart = Chart(
        caption=gettext_lazy("Distribution of weighted scores"),
        kind="bar",
        labels=list(BAND_LABELS),
        series=[Series(gettext_lazy("Evaluations"), [float(b) for b in bands])],
        unit=gettext_lazy("evaluations"),
    )

    def summary() -> str:
        return _(
            "%(count)s performance evaluations were signed; their mean weighted score is %(mean)s of 5. "
            "%(share)s%% were acknowledged without appeal; %(appealed)s were appealed, of which "
            "%(changed)s changed ratings."
        ) % {
            "count": count,
            "mean": f"{average:.2f}",
            "share": f"{share:.0f}",
            "appealed": len(appealed),
            "changed": changed,
        }

    return Section(element=2, title=title, summary=summary, tables=(figures, criteria), charts=(chart,))
