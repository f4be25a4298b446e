"""Staff pages of community safety forums, one module per record kind:
forums (the list with sustainability figures, one forum, its members'
contacts), members, meetings (from planning to minutes), action items,
proposed LPSC sites, tension reports, trainers, press releases, exports,
and the citizens' pages (public)."""
