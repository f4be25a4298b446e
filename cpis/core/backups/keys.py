"""Keys kept apart: the server that makes backups holds only public recipients (age1…);
the identity that reads them (AGE-SECRET-KEY-1…, in age-keygen's file format) stays
elsewhere."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pyrage

from .format import (
    BackupError,
    Identity,
    Recipient,
)


def new_identity_text(*, now: dt.datetime | None = None) -> tuple[str, str]:
    """A new X25519 identity in age-keygen's file format, and its public recipient."""
    identity = pyrage.x25519.Identity.generate()
    recipient = str(identity.to_public())
    created = (now or dt.datetime.now(dt.UTC)).strftime("%Y-%m-%dT%H:%M:%SZ")
    text = f"# created: {created}\n# public key: {recipient}\n{identity}\n"
    return text, recipient


def throwaway_keys() -> tuple[list[Identity], list[Recipient]]:
    """A key pair that lives only in memory (the restore drill's)."""
    identity = pyrage.x25519.Identity.generate()
    return [identity], [identity.to_public()]


def write_identity(path: Path) -> str:
    """Write a new identity to `path` (readable by its owner only; never over a file)
    and return its recipient."""
    text, recipient = new_identity_text()
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise BackupError(f"{path} exists: it is not overwritten.") from None
    except OSError as error:
        raise BackupError(f"Cannot create {path}: {error.strerror}.") from None
    with os.fdopen(descriptor, "w", encoding="utf-8") as file:
        file.write(text)
    return recipient


def _key_lines(path: Path) -> list[str]:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise BackupError(f"Cannot read {path}: {error.strerror}.") from None
    return [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]


def read_identities(path: Path) -> list[Identity]:
    """The identities (AGE-SECRET-KEY-1… lines) of an identity file, as age-keygen writes it."""
    identities = []
    for line in _key_lines(path):
        try:
            identities.append(pyrage.x25519.Identity.from_str(line))
        except pyrage.IdentityError:
            raise BackupError(
                f"{path} holds a line that is not an age identity (AGE-SECRET-KEY-1…)."
            ) from None
    if not identities:
        raise BackupError(f"{path} holds no age identity.")
    return identities


def identity_recipients(path: Path) -> list[str]:
    """The public recipients of the identities in an identity file."""
    return [str(identity.to_public()) for identity in read_identities(path)]


def parse_recipients(values: list[str], files: list[Path]) -> list[Recipient]:
    """Recipients given one by one (age1…) and in recipients files (one a line, # comments)."""
    texts = [*values, *(line for path in files for line in _key_lines(path))]
    if not texts:
        raise BackupError("No recipient: give --recipient age1… or --recipients-file FILE.")
    recipients = []
    for text in texts:
        if text.startswith("AGE-SECRET-KEY-"):
            raise BackupError(
                "A secret identity was given where a recipient belongs: the server that makes "
                "backups must hold only the public recipient (age1…), never the identity."
            )
        try:
            recipients.append(pyrage.x25519.Recipient.from_str(text))
        except pyrage.RecipientError:
            raise BackupError(f"Not an age recipient: {text[:20]}… (expected age1…).") from None
    return recipients
