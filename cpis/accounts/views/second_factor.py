"""The second factor's pages: give it (after the password, or again before a
sensitive step), and set up authenticator apps, passkeys and recovery codes."""

from base64 import b32encode
from typing import Any
from urllib.parse import urlencode

import segno
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cpis.core.forms import form_status, submit

from .. import policy, selectors, services
from ..forms import AppCodeForm, CodeForm
from ..middleware import safe_next
from .access import fresh_second_factor, second_factor_step
from .passkeys import script_configuration


def _next(request: HttpRequest) -> str:
    return safe_next(request, request.POST.get("next") or request.GET.get("next"))


def _setup_url(request: HttpRequest) -> str:
    return f"{reverse('accounts:second_factor_setup')}?{urlencode({'next': _next(request)})}"


@second_factor_step(policy.VERIFY)
def second_factor(request: HttpRequest) -> HttpResponse:
    """Give the second factor: a code from the app, a recovery code or a passkey.
    Wrong ones count towards a lockout, like wrong passwords."""
    user: Any = request.user
    next_url = _next(request)
    factors = selectors.list_second_factors(user)
    if not factors.any:  # nothing to give (reset meanwhile): on, or to set one up
        if user.has_second_factor:
            services.reset_second_factor(user=user)
        return redirect(next_url)
    form = CodeForm(request.POST or None)
    if request.method == "POST":
        if selectors.is_locked_out(request, user):
            return render(request, "accounts/locked_out.html", status=429)
        if form.is_valid():
            device = services.verify_code(user=user, code=form.cleaned_data["code"])
            if device is not None:
                services.mark_verified(request, user, device)
                if device.name == selectors.RECOVERY_DEVICE:
                    messages.warning(
                        request, _("A recovery code works once: make new ones when few are left.")
                    )
                return redirect(next_url)
            services.note_wrong_second_factor(request, user)
            form.add_error("code", str(services.WrongCode.message))
    context = {
        "form": form,
        "next": next_url,
        "passkeys": bool(factors.passkeys),
        "passkey_config": script_configuration(request),
    }
    return render(request, "accounts/second_factor.html", context, status=form_status(request))


def _setup_page(request: HttpRequest, form: AppCodeForm | None = None, status: int = 200) -> HttpResponse:
    user: Any = request.user
    pending = selectors.get_pending_app(user)
    context = {
        "factors": selectors.list_second_factors(user),
        "required": selectors.owes_second_factor(request) == policy.ENROL,
        "pending": pending,
        "pending_qr": segno.make(pending.config_url, error="m").svg_data_uri(scale=5) if pending else "",
        "pending_key": " ".join(_groups(b32encode(pending.bin_key).decode())) if pending else "",
        "confirm_form": form or AppCodeForm(),
        "next": _next(request),
        "passkey_config": script_configuration(request),
    }
    return render(request, "accounts/second_factor_setup.html", context, status=status)


def _groups(text: str, size: int = 4) -> list[str]:
    return [text[start : start + size] for start in range(0, len(text), size)]


@second_factor_step(policy.ENROL)
@fresh_second_factor
def setup(request: HttpRequest) -> HttpResponse:
    """Sign-in security: the user's apps, passkeys and recovery codes. Changing
    them needs a fresh second factor, once there is one."""
    return _setup_page(request)


@second_factor_step(policy.ENROL)
@require_POST
@fresh_second_factor
def app_start(request: HttpRequest) -> HttpResponse:
    services.start_app(user=request.user)  # type: ignore[arg-type]
    return redirect(_setup_url(request))


@second_factor_step(policy.ENROL)
@require_POST
@fresh_second_factor
def app_confirm(request: HttpRequest) -> HttpResponse:
    """The first code from a new app confirms it; with the user's first second
    factor come recovery codes, shown on this one page only."""
    user: Any = request.user
    pending = selectors.get_pending_app(user)
    if pending is None:
        return redirect(_setup_url(request))
    form = AppCodeForm(request.POST)
    codes = submit(form, lambda data: services.confirm_app(user=user, device=pending, code=data["code"]))
    if codes is None:
        return _setup_page(request, form, status=400)
    services.mark_verified(request, user, pending)
    if codes:
        return _codes_page(request, codes)
    messages.success(request, _("The authenticator app has been added."))
    return redirect(_setup_url(request))


@second_factor_step(None)
@require_POST
@fresh_second_factor
def recovery_codes(request: HttpRequest) -> HttpResponse:
    """New recovery codes in place of the old ones, shown once."""
    user: Any = request.user
    if not user.has_second_factor:
        raise Http404(_("Not found."))
    return _codes_page(request, services.create_recovery_codes(user=user))


def _codes_page(request: HttpRequest, codes: list[str]) -> HttpResponse:
    return render(request, "accounts/recovery_codes.html", {"codes": codes, "next": _next(request)})


@second_factor_step(None)
@require_POST
@fresh_second_factor
def remove(request: HttpRequest, kind: str, device_id: int) -> HttpResponse:
    user: Any = request.user
    services.remove_second_factor(user=user, device=selectors.get_second_factor(user, kind, device_id))
    messages.success(request, _("The second factor has been removed."))
    return redirect(_setup_url(request))
