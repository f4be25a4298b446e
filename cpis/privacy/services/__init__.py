"""Writes of the privacy app, one module per subject: checks of the access
log's chain and its exports (audit), the data-subject requests (requests).
Callers import the module: `from cpis.privacy.services import audit`."""
