"""The data-protection officer's pages, one module per subject: the audit
trail (audit), the data-subject requests (requests). urls.py imports the
modules: `from .views import audit, requests`."""
