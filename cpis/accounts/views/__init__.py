"""Accounts' pages: signing in and out, the language, and the second factor.
Other apps put `fresh_second_factor` on the views that reveal the most
sensitive personal data."""

from .access import fresh_second_factor, purpose_required, second_factor_step
from .passkeys import (
    passkey_add_begin,
    passkey_add_complete,
    passkey_verify_begin,
    passkey_verify_complete,
    script_catalogue,
)
from .second_factor import app_confirm, app_start, recovery_codes, remove, second_factor, setup
from .signin import login_view, logout_view, set_language

__all__ = [
    "app_confirm",
    "app_start",
    "fresh_second_factor",
    "login_view",
    "logout_view",
    "passkey_add_begin",
    "passkey_add_complete",
    "passkey_verify_begin",
    "passkey_verify_complete",
    "purpose_required",
    "recovery_codes",
    "remove",
    "script_catalogue",
    "second_factor",
    "second_factor_step",
    "set_language",
    "setup",
]
