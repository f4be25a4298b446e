"""Reads of the surveys app, one module per area; import the module
(`from cpis.surveys.selectors import waves`)."""
