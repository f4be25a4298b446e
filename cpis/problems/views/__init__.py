"""Staff pages of problem solving, one module per area: the workspace
(problems: the list and its export, a problem opened by hand, its overview
and history), a module for each SARA tab, and the case write-up as a PDF
(`writeup`). A problem's history in words is a read: `selectors/history.py`."""
