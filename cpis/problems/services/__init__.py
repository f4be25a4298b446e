"""Writes of the problems app, one module per record kind; import the module
(`from cpis.problems.services import problems`)."""
