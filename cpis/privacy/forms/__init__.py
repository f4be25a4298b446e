"""Forms of the privacy app, one module per subject: the audit trail's
filters (audit), the data-subject requests (requests)."""
