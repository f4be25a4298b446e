"""Staff pages of problem solving, one module per area: the workspace
(problems: the list and its export, a problem opened by hand, its overview
and history), and a module for each SARA tab. `history` puts a problem's
changes into words."""
