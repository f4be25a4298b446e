"""Reads of the problems app, one module per record kind; import the module
(`from cpis.problems.selectors import problems`)."""
