from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.functional import SimpleLazyObject

from .access import Actor


class ActorMiddleware:
    """Sets `request.actor`, built on first use from `request.user`."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.actor = SimpleLazyObject(lambda: Actor.for_user(request.user))  # type: ignore[attr-defined]
        return self.get_response(request)
