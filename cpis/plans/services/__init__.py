"""Writes for the action plan: creating a plan from plain data, the curated
file or a workbook (`plan`); progress updates with evidence and their
review, indicator values and targets, strategy acknowledgements
(`progress`); the six-monthly evaluation: freeze, narrative, sign-off
(`evaluation`); and deadline reminders (`reminders`)."""

from cpis.core.errors import InvalidInput
from cpis.core.uploads import Upload

from .evaluation import (
    EvaluationExists,
    EvaluationSigned,
    NarrativeMissing,
    NotAnEvaluationPlace,
    PeriodNotOver,
    freeze_evaluation,
    sign_evaluation,
    write_narrative,
)
from .plan import InvalidPlan, PlanExists, create_plan, load_plan_data, validate_spec
from .progress import (
    MAX_EVIDENCE_BYTES,
    MAX_EVIDENCE_FILES,
    AlreadyReviewed,
    ComputedIndicator,
    NotResponsible,
    OwnUpdate,
    acknowledge_plan,
    enter_indicator_value,
    post_update,
    review_update,
    set_indicator_target,
)
from .reminders import RECORD_TYPE, send_reminders

__all__ = [
    "MAX_EVIDENCE_BYTES",
    "MAX_EVIDENCE_FILES",
    "RECORD_TYPE",
    "AlreadyReviewed",
    "ComputedIndicator",
    "EvaluationExists",
    "EvaluationSigned",
    "InvalidInput",
    "InvalidPlan",
    "NarrativeMissing",
    "NotAnEvaluationPlace",
    "NotResponsible",
    "OwnUpdate",
    "PeriodNotOver",
    "PlanExists",
    "Upload",
    "acknowledge_plan",
    "create_plan",
    "enter_indicator_value",
    "freeze_evaluation",
    "load_plan_data",
    "post_update",
    "review_update",
    "send_reminders",
    "set_indicator_target",
    "sign_evaluation",
    "validate_spec",
    "write_narrative",
]
