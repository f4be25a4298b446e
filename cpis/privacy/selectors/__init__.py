"""Reads of the privacy app, one module per subject: the access log and its
alerts (audit), the data-subject requests (requests). Callers import the
module: `from cpis.privacy.selectors import audit`."""
