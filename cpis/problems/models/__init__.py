"""Problem solving with the community (C9): problems worked through SARA —
scanning, analysis, response, assessment [III, 3.1] — with their sources, team,
problem-analysis triangle, hypotheses, actions tagged with the situational
crime-prevention technique they use, and an assessment computed from the
records; the restricted register of vulnerable persons and groups [3.1.3]; the
priorities a sector agrees [2.5.3, 3.2.4]; and the public summaries of solved
problems [3.2.5]. Text people write is stored as written."""

from .problems import (
    EFFECT_OUTCOMES,
    OPEN_STAGES,
    Change,
    MemberKind,
    Outcome,
    Problem,
    ProblemQuerySet,
    Source,
    SourceKind,
    Stage,
    TeamMember,
)
from .public import AgreedBy, PriorityStatus, PublicSummary, SectorPriority, SummaryStatus
from .register import LegalBasis, Vulnerability, VulnerableEntry, VulnerableKind
from .sara import (
    CONTROLLER,
    OPEN_ACTION_STATUSES,
    TECHNIQUE_GROUPS,
    Action,
    ActionQuerySet,
    ActionStatus,
    Assessment,
    ControlKind,
    Hypothesis,
    HypothesisStatus,
    Reading,
    Side,
    Technique,
    TriangleEntry,
)

__all__ = [
    "CONTROLLER",
    "EFFECT_OUTCOMES",
    "OPEN_ACTION_STATUSES",
    "OPEN_STAGES",
    "TECHNIQUE_GROUPS",
    "Action",
    "ActionQuerySet",
    "ActionStatus",
    "AgreedBy",
    "Assessment",
    "Change",
    "ControlKind",
    "Hypothesis",
    "HypothesisStatus",
    "LegalBasis",
    "MemberKind",
    "Outcome",
    "PriorityStatus",
    "Problem",
    "ProblemQuerySet",
    "PublicSummary",
    "Reading",
    "SectorPriority",
    "Side",
    "Source",
    "SourceKind",
    "Stage",
    "SummaryStatus",
    "TeamMember",
    "Technique",
    "TriangleEntry",
    "Vulnerability",
    "VulnerableEntry",
    "VulnerableKind",
]
