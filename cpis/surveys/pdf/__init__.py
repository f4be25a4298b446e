"""The surveys' printed documents: the interviewers' sheets of a wave
(`sheets.render_sheets`). fpdf2 is imported only when a PDF is asked for."""
