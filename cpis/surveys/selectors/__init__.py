"""Reads of the perception surveys, one module per area (`from cpis.surveys.selectors import responses`)."""
