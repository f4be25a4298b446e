"""Staff pages of the perception surveys, one module per area: the
questionnaires (designed, previewed and published by the directorate) and the
waves (targets, margins, start points and the interviewers' sheets)."""
