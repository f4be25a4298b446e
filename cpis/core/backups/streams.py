"""Plain text in and out of age without holding it in memory: the age side runs in a
thread at the other end of a pipe."""

from __future__ import annotations

import hashlib
import os
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import IO

import pyrage

from .format import (
    CHUNK,
    BackupError,
    Identity,
    Recipient,
)


class Hashing:
    """A file read through, counting and hashing what passes."""

    def __init__(self, raw: IO[bytes]) -> None:
        self.raw = raw
        self.sha256 = hashlib.sha256()
        self.bytes = 0

    def read(self, size: int = -1) -> bytes:
        data = self.raw.read(size)
        self.sha256.update(data)
        self.bytes += len(data)
        return data


def _decrypt_error(archive: Path, error: BaseException) -> BackupError:
    message = str(error)
    if "No matching keys" in message:
        return BackupError(
            f"{archive} cannot be decrypted with this identity: it was made for another key. "
            "Nothing was changed."
        )
    return BackupError(
        f"{archive} is damaged or was altered, or is not an age-encrypted CPIS backup ({message}). "
        "Nothing was changed."
    )


def _pipe() -> tuple[IO[bytes], IO[bytes]]:
    read_end, write_end = os.pipe()
    return os.fdopen(read_end, "rb"), os.fdopen(write_end, "wb")


def _in_thread(
    name: str, work: Callable[[], None], end: IO[bytes]
) -> tuple[threading.Thread, list[BaseException]]:
    """Run `work` in a thread that closes its end of the pipe when done. A failure is kept
    for the caller's thread, before the end is closed (so before the other side sees it)."""
    failure: list[BaseException] = []

    def run() -> None:
        try:
            work()
        except BaseException as error:
            failure.append(error)
        finally:
            with suppress(OSError):
                end.close()

    thread = threading.Thread(target=run, name=name, daemon=True)
    thread.start()
    return thread, failure


@contextmanager
def encrypting(destination: Path, recipients: list[Recipient]) -> Iterator[IO[bytes]]:
    """A file to write plain text into; age encrypts it to `destination` in a thread."""
    reader, writer = _pipe()

    def encrypt() -> None:
        with destination.open("wb") as output:
            pyrage.encrypt_io(reader, output, recipients)

    thread, failure = _in_thread("cpis-backup-encrypt", encrypt, reader)
    try:
        yield writer
    except BaseException as error:
        with suppress(OSError):
            writer.close()
        thread.join()
        destination.unlink(missing_ok=True)
        if failure and isinstance(error, OSError):  # the pipe broke because age failed
            raise BackupError(f"Cannot write {destination}: {failure[0]}") from failure[0]
        raise
    with suppress(OSError):  # the thread failed: its error is reported below
        writer.close()
    thread.join()
    if failure:
        destination.unlink(missing_ok=True)
        raise BackupError(f"Cannot write {destination}: {failure[0]}") from failure[0]


@contextmanager
def decrypting(archive: Path, identities: list[Identity]) -> Iterator[IO[bytes]]:
    """The plain text of `archive`, decrypted in a thread. Leaving the block reads the
    stream to its end, so every chunk of the archive has been authenticated."""
    reader, writer = _pipe()

    def decrypt() -> None:
        with archive.open("rb") as source:
            pyrage.decrypt_io(source, writer, identities)

    thread, failure = _in_thread("cpis-restore-decrypt", decrypt, writer)
    try:
        yield reader
        while reader.read(CHUNK):
            pass
    except BaseException:
        # Checked before closing the reader: a failure here is why the stream ended early.
        decryption_failed = bool(failure)
        reader.close()
        thread.join()
        if decryption_failed:
            raise _decrypt_error(archive, failure[0]) from failure[0]
        raise
    reader.close()
    thread.join()
    if failure:
        raise _decrypt_error(archive, failure[0]) from failure[0]


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        while block := file.read(CHUNK):
            digest.update(block)
    return digest.hexdigest()


def copy_hashed(source: IO[bytes], path: Path) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    with path.open("wb") as output:
        while block := source.read(CHUNK):
            digest.update(block)
            size += len(block)
            output.write(block)
    return digest.hexdigest(), size
