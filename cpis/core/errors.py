"""Broken domain rules. Each subclass is named for the rule it guards and
carries a translatable message shown to the user as it is."""

from django.utils.functional import Promise


class DomainError(Exception):
    """Base of every rule a service refuses to break."""

    message: str | Promise = ""
    # The HTTP status an API answers with when this rule is broken.
    status_code = 409
    # Seconds after which trying again may succeed (a Retry-After header), if any.
    retry_after: int | None = None

    def __init__(self, message: str | Promise | None = None) -> None:
        if message is not None:
            self.message = message
        super().__init__(str(self.message))

    def __str__(self) -> str:
        return str(self.message)


class InvalidInput(DomainError):
    """Input that fails validation in a service (bad file, bad coordinates)."""

    status_code = 400
