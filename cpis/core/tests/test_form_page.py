"""The create/edit page helper: a saved form redirects with its message, a
broken rule is shown on the form with a 400, a first view is a 200."""

import dataclasses
from typing import Any

from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.signed_cookies import SessionStore
from django.http import HttpRequest
from django.test import RequestFactory

from cpis.core.errors import InvalidInput
from cpis.core.forms import as_input, form_page


class NameForm(forms.Form):
    name = forms.CharField()


def _request(method: str, data: dict[str, str] | None = None) -> HttpRequest:
    factory = RequestFactory()
    request = factory.post("/", data or {}) if method == "POST" else factory.get("/")
    request.session = SessionStore()
    request._messages = FallbackStorage(request)  # type: ignore[attr-defined]
    return request


def _save(data: dict[str, Any]) -> str:
    if data["name"] == "taken":
        raise InvalidInput("That name is taken.")
    return data["name"]


def _page(request: HttpRequest) -> Any:
    return form_page(
        request,
        NameForm(request.POST or None),
        _save,
        success="Saved.",
        then=lambda name: f"/things/{name}/",
        template="components/form_errors.html",
    )


def test_a_saved_form_redirects_to_the_saved_record_with_the_success_message() -> None:
    request = _request("POST", {"name": "kept"})
    response = _page(request)
    assert response.status_code == 302
    assert response["Location"] == "/things/kept/"
    assert [str(m) for m in get_messages(request)] == ["Saved."]


def test_a_broken_rule_is_shown_on_the_form_with_a_400_and_no_message() -> None:
    request = _request("POST", {"name": "taken"})
    response = _page(request)
    assert response.status_code == 400
    assert "That name is taken." in response.content.decode()
    assert list(get_messages(request)) == []


def test_a_first_view_shows_the_form_unsaved() -> None:
    response = _page(_request("GET"))
    assert response.status_code == 200
    assert "That name is taken." not in response.content.decode()


def test_a_services_input_takes_the_forms_fields_it_has_and_the_given_ones_win() -> None:
    @dataclasses.dataclass
    class ThingInput:
        name: str
        size: int
        note: str = ""

    made = as_input(ThingInput, {"name": "kept", "size": 2, "shown_only": True}, size=3)
    assert made == ThingInput(name="kept", size=3, note="")
