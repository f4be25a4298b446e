"""Users, and the second factor as a person gives it: the code an app shows,
signing in with the password, then with the code."""

import time
from urllib.parse import parse_qs, urlsplit

import factory
from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP

from cpis.accounts import services
from cpis.accounts.models import User

PASSWORD = "correct horse battery staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password(PASSWORD)


def code_of(device, at: float | None = None) -> str:
    """What the authenticator app holding `device`'s secret shows at `at` (now)."""
    token = TOTP(device.bin_key, device.step, device.t0, device.digits)
    token.time = time.time() if at is None else at
    return f"{token.token():06d}"


def give_app(user: User):
    """An app set up through the services, confirmed with the code of the last
    time step so that the current one is still unused."""
    device = services.start_app(user=user)
    services.confirm_app(user=user, device=device, code=code_of(device, time.time() - device.step))
    return device


def sign_in(client: Client, username: str, password: str = PASSWORD, **extra):
    return client.post(reverse("accounts:login"), {"username": username, "password": password}, **extra)


def give_code(client: Client, code: str, next_url: str = "", **extra):
    return client.post(reverse("accounts:second_factor"), {"code": code, "next": next_url}, **extra)


def next_of(response) -> str:
    return parse_qs(urlsplit(response["Location"]).query)["next"][0]


def english(user: User) -> User:
    """Signing in sets the interface to the user's language: English, to read the pages."""
    user.language = "en"
    user.save(update_fields=["language"])
    return user


def signed_in_with_app(user: User) -> tuple[Client, object]:
    """A client `user` signed in with the password and then an app's code; and the app."""
    device = give_app(user)
    client = Client()
    sign_in(client, user.get_username())
    give_code(client, code_of(device))
    return client, device
