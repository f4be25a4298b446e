"""Writes of the surveys app, one module per area; import the module
(`from cpis.surveys.services import questionnaires`)."""
