"""Perception surveys (C11): versioned, translated questionnaires; waves with
their places, targets, margins and drawn start points; and the responses that
come in on every channel, with the answers keyed by the question's code. Text
people write is stored as written."""

from .questionnaires import (
    Option,
    Purpose,
    Question,
    QuestionKind,
    Questionnaire,
    QuestionnaireVersion,
    VersionStatus,
)
from .responses import (
    AgeBand,
    Channel,
    Community,
    Decision,
    DecisionKind,
    Gender,
    Invitation,
    Response,
    ResponseQuerySet,
    ResponseStatus,
    TextReview,
)
from .waves import Dimension, Margin, StartPoint, Wave, WaveStatus, WaveTarget

__all__ = [
    "AgeBand",
    "Channel",
    "Community",
    "Decision",
    "DecisionKind",
    "Dimension",
    "Gender",
    "Invitation",
    "Margin",
    "Option",
    "Purpose",
    "Question",
    "QuestionKind",
    "Questionnaire",
    "QuestionnaireVersion",
    "Response",
    "ResponseQuerySet",
    "ResponseStatus",
    "StartPoint",
    "TextReview",
    "VersionStatus",
    "Wave",
    "WaveStatus",
    "WaveTarget",
]
