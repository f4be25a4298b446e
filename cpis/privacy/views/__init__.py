"""The data-protection officer's pages, one module per subject: the audit
trail (audit). urls.py imports the modules: `from .views import audit`."""
