"""`make demo`: the production stack (DEBUG off, whitenoise, gunicorn) served
over plain HTTP on the loopback, with a secret kept in var/ so sessions
survive restarts. Never expose this configuration beyond 127.0.0.1."""

import secrets

from .base import *  # noqa: F403
from .base import BASE_DIR, env

DEBUG = False
EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")

_secret_file = BASE_DIR / "var" / "demo-secret-key"
if not _secret_file.exists():
    _secret_file.parent.mkdir(parents=True, exist_ok=True)
    _secret_file.write_text(secrets.token_urlsafe(64))
SECRET_KEY = _secret_file.read_text().strip()
