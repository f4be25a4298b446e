"""The archive's layout, the error every step raises, and names for pyrage's untyped keys."""

from typing import Any

FORMAT = "cpis-backup"
FORMAT_VERSION = 1
ARCHIVE_PREFIX = "cpis-backup-"
ARCHIVE_SUFFIX = ".tar.gz.age"
MANIFEST = "manifest.json"
MEDIA = "media"
DATABASE_MEMBERS = {"sqlite": "database.sqlite3", "postgresql": "database.dump"}
# gzip level 1: most of the size gain for a fraction of the time of the default 9.
COMPRESS_LEVEL = 1
CHUNK = 1024 * 1024
ROWS_PER_FETCH = 2000
TEXT_FIELDS = {"CharField", "TextField"}

# pyrage ships no type information: its identities and recipients are opaque here.
Identity = Any
Recipient = Any


class BackupError(Exception):
    """Why a backup or a restore cannot go on; the message is for the operator."""
