"""Signing in with a password, out, and choosing the interface language."""

from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from cpis.core.views import public

from .. import selectors, services
from ..middleware import STEP_PAGES


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        # Staff get the interface in the language they chose last time.
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            form.get_user().language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            samesite="Lax",
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=False,
        )
        return response

    def get_success_url(self) -> str:
        """After the password, the second factor: given, or set up when a role
        requires one, before going on."""
        url = super().get_success_url()
        step = selectors.owes_second_factor(self.request)
        if step is None:
            return url
        return f"{reverse(STEP_PAGES[step])}?{urlencode({'next': url})}"


login_view = public(LoginView.as_view())
logout_view = public(auth_views.LogoutView.as_view())


@public
@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Django's language switch, remembered on the account as well."""
    response = django_set_language(request)
    language = request.POST.get("language", "")
    if request.user.is_authenticated and language in dict(settings.LANGUAGES):
        services.set_language(user=request.user, language=language)
    next_url = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        response["Location"] = "/"
    return response
