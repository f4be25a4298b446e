"""Writes of a problem's assessment [issue #13, item 5]: compute it from the
incident records for a response date, a window, a buffer and a control place,
and recompute it as data arrives (the daily job). One assessment per problem;
each person's computation is in the problem's history.

The counts are read as the system, not as the person who asks: the
assessment is the problem's, one for everyone who may see the problem, and
the daily recomputation must give the same figures. It holds counts only,
never an incident."""

from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cpis.core.errors import InvalidInput
from cpis.organisation.access import Actor
from cpis.organisation.models import Unit

from ..models import OPEN_STAGES, Assessment, ControlKind, Problem
from ..policy import policy
from ..selectors import assessment as selectors
from ..selectors.problems import PLACE_KINDS
from ..stats import assessment as kernel
from .history import record
from .problems import require_open, require_work

WINDOW_DAYS = (28, 730)
BUFFER_METRES = (50, 5000)


def _check(
    actor: Actor,
    problem: Problem,
    *,
    response_date: date,
    window_days: int,
    buffer_m: int,
    control_unit: Unit | None,
    today: date,
) -> list[str]:
    """The problem's category codes, once the choices are sound; InvalidInput otherwise."""
    low, high = WINDOW_DAYS
    if not low <= window_days <= high:
        raise InvalidInput(
            _("Choose a window of %(low)d to %(high)d days before and after the response date.")
            % {"low": low, "high": high}
        )
    low, high = BUFFER_METRES
    if not low <= buffer_m <= high:
        raise InvalidInput(_("Choose a buffer of %(low)d to %(high)d metres.") % {"low": low, "high": high})
    if response_date > today:
        raise InvalidInput(_("The response date cannot be in the future."))
    if control_unit is not None and (
        control_unit.kind not in PLACE_KINDS or not policy.can(actor, "view", control_unit.path)
    ):
        raise InvalidInput(_("Choose a sector, a station or a region you may see as the control place."))
    codes = selectors.incident_category_codes(problem)
    if not codes:
        raise InvalidInput(_("Give the problem its incident categories first: the assessment counts them."))
    return codes


def _finite(value: float | None) -> float | None:
    return None if value is None else float(value)


def _compute(
    problem: Problem,
    *,
    response_date: date,
    window_days: int,
    buffer_m: int,
    control_unit: Unit | None,
    codes: list[str],
    today: date,
) -> dict[str, Any]:
    """The assessment's fields, computed from the records (as the system)."""
    places = selectors.build_places(problem, buffer_m=buffer_m, control_unit=control_unit)
    data = selectors.load_assessment_data(
        Actor.system(),
        places=places,
        categories=codes,
        response_date=response_date,
        window_days=window_days,
        today=today,
    )
    if data.events_before == 0:
        raise InvalidInput(
            _(
                "There are no incidents of the problem's categories around it in the %(days)d days "
                "before the response date: choose a later response date."
            )
            % {"days": window_days}
        )
    result = kernel.assess(data.counts, before_days=window_days, after_days=data.after_days)
    c, rr, res, wdq = data.counts, result.rate_ratio, result.relative_effect, result.displacement
    weekly = data.weekly
    return {
        "response_date": response_date,
        "window_days": window_days,
        "buffer_m": buffer_m,
        "control_kind": ControlKind.UNIT if control_unit is not None else ControlKind.STATION,
        "control_unit": control_unit,
        "categories": codes,
        "target_before": c.target_before,
        "target_after": c.target_after,
        "buffer_before": c.buffer_before,
        "buffer_after": c.buffer_after,
        "control_before": c.control_before,
        "control_after": c.control_after,
        "rate_ratio": _finite(rr.value),
        "rate_ratio_low": _finite(rr.low),
        "rate_ratio_high": _finite(rr.high),
        "relative_effect": _finite(res.value),
        "relative_effect_low": _finite(res.low),
        "relative_effect_high": _finite(res.high),
        "wdq": _finite(wdq.wdq),
        "reading": wdq.reading,
        "series": {
            "weeks": [(response_date + timedelta(days=start)).isoformat() for start in weekly.starts],
            "days": weekly.lengths,
            **dict(zip(kernel.AREAS, weekly.counts, strict=True)),
            "after_days": data.after_days,
            "success_measure": wdq.success_measure,
            "buffer_measure": wdq.buffer_measure,
            "total_net_effect": wdq.total_net_effect,
            "buffer_change": [wdq.buffer_change.value, wdq.buffer_change.low, wdq.buffer_change.high],
            "paths": data.paths,
        },
        "data_until": data.data_until,
        "computed_at": timezone.now(),
    }


@transaction.atomic
def assess_problem(
    actor: Actor,
    *,
    problem: Problem,
    response_date: date,
    window_days: int,
    buffer_m: int,
    control_unit: Unit | None = None,
    today: date | None = None,
) -> Assessment:
    """Compute (or compute again, with new choices) the problem's assessment:
    counts before and after the response date in the target, buffer and
    control, the rate ratio, the relative effect and the WDQ. The problem's
    owner, team officers and leads, while it is open; bad input changes nothing."""
    require_work(actor, problem)
    require_open(problem)
    today = today or timezone.localdate()
    codes = _check(
        actor,
        problem,
        response_date=response_date,
        window_days=window_days,
        buffer_m=buffer_m,
        control_unit=control_unit,
        today=today,
    )
    problem = Problem.objects.select_for_update().get(pk=problem.pk)
    values = _compute(
        problem,
        response_date=response_date,
        window_days=window_days,
        buffer_m=buffer_m,
        control_unit=control_unit,
        codes=codes,
        today=today,
    )
    # The problem's row is locked: no one else writes its assessment meanwhile.
    assessment = Assessment.objects.filter(problem=problem).first() or Assessment(problem=problem)
    for name, value in {**values, "recorded_by_id": actor.user_id}.items():
        setattr(assessment, name, value)
    assessment.save()
    record(
        problem,
        actor,
        "assessed",
        response_date=response_date.isoformat(),
        window_days=window_days,
        buffer_m=buffer_m,
        control=control_unit.name if control_unit is not None else "",
        reading=assessment.reading,
        rate_ratio=None if assessment.rate_ratio is None else round(assessment.rate_ratio, 3),
        provisional=is_provisional(assessment),
    )
    return assessment


def is_provisional(assessment: Assessment) -> bool:
    """Whether the after-window had not ended when the assessment was computed."""
    after_end = assessment.response_date + timedelta(days=assessment.window_days)
    return assessment.data_until is None or assessment.data_until < after_end


def _due(assessment: Assessment) -> bool:
    """Open problems' assessments, and any whose after-window had not ended when last computed."""
    return assessment.problem.stage in OPEN_STAGES or is_provisional(assessment)


def recompute_assessments(*, today: date | None = None) -> str:
    """The daily job: compute again every assessment of an open problem, and
    every one whose after-window had not ended at its last computation, with
    the choices it was made with. The history gets a line when the reading
    changes or the after-window has now ended (not each day's new counts).
    One that can no longer be computed (its categories were removed, say) is
    left as it was and counted."""
    today = today or timezone.localdate()
    system = Actor.system()
    done = changed = failed = 0
    for assessment in Assessment.objects.select_related("problem", "control_unit").order_by("pk"):
        if not _due(assessment):
            continue
        problem = assessment.problem
        codes = selectors.incident_category_codes(problem)
        try:
            with transaction.atomic():
                if not codes:
                    raise InvalidInput(_("The problem has no incident categories."))
                values = _compute(
                    problem,
                    response_date=assessment.response_date,
                    window_days=assessment.window_days,
                    buffer_m=assessment.buffer_m,
                    control_unit=assessment.control_unit,
                    codes=codes,
                    today=today,
                )
                was_final = not is_provisional(assessment)
                reading = assessment.reading
                for name, value in values.items():
                    setattr(assessment, name, value)
                assessment.save()
                if assessment.reading != reading or (not was_final and not is_provisional(assessment)):
                    changed += 1
                    record(
                        problem,
                        system,
                        "reassessed",
                        reading=assessment.reading,
                        rate_ratio=None if assessment.rate_ratio is None else round(assessment.rate_ratio, 3),
                        provisional=is_provisional(assessment),
                    )
        except InvalidInput:
            failed += 1
            continue
        done += 1
    return (
        f"Assessments recomputed: {done} ({changed} with a new reading or now final, {failed} could not be)."
    )
