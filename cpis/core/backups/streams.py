"""Plain text in and out of age without holding it in memory: the age side runs in a
thread at the other end of a pipe."""

from __future__ import annotations

import hashlib
import os
import threading
from collections.abc import Iterator
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


@contextmanager
def encrypting(destination: Path, recipients: list[Recipient]) -> Iterator[IO[bytes]]:
    """A file to write plain text into; age encrypts it to `destination` in a thread."""
    read_end, write_end = os.pipe()
    reader, writer = os.fdopen(read_end, "rb"), os.fdopen(write_end, "wb")
    failure: list[BaseException] = []

    def encrypt() -> None:
        try:
            with destination.open("wb") as output:
                pyrage.encrypt_io(reader, output, recipients)
        except BaseException as error:  # reported by the caller's thread
            failure.append(error)
        finally:
            reader.close()

    thread = threading.Thread(target=encrypt, name="cpis-backup-encrypt", daemon=True)
    thread.start()
    try:
        yield writer
    except BaseException as error:
        with suppress(OSError):
            writer.close()
        thread.join()
        destination.unlink(missing_ok=True)
        if failure and isinstance(error, OSError):
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
    read_end, write_end = os.pipe()
    reader, writer = os.fdopen(read_end, "rb"), os.fdopen(write_end, "wb")
    failure: list[BaseException] = []

    def decrypt() -> None:
        try:
            with archive.open("rb") as source:
                pyrage.decrypt_io(source, writer, identities)
        except BaseException as error:  # reported by the caller's thread
            failure.append(error)  # before the reader sees the end of the stream
        finally:
            with suppress(OSError):
                writer.close()

    thread = threading.Thread(target=decrypt, name="cpis-restore-decrypt", daemon=True)
    thread.start()
    try:
        yield reader
        while reader.read(CHUNK):
            pass
    except BaseException:
        if failure:  # the stream ended early because decryption failed
            reader.close()
            thread.join()
            raise _decrypt_error(archive, failure[0]) from failure[0]
        reader.close()
        thread.join()
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
