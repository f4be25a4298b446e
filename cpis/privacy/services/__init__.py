"""Writes of the privacy app, one module per subject: checks of the access
log's chain and its exports (audit). Callers import the module:
`from cpis.privacy.services import audit`."""
