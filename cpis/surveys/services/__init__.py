"""Writes of the perception surveys, one module per area (`from cpis.surveys.services import responses`)."""
