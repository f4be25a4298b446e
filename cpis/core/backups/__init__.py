"""Backups that restore: one encrypted archive holding the database, the uploaded files
and a manifest that a restore checks its result against (docs/operations.md).

The archive is a gzip-compressed tar encrypted with age (the format of the `age` and
`rage` tools, through pyrage) to one or more public recipients. The machine that makes
backups holds only the recipients, so it cannot read them; the identity that decrypts
them is kept elsewhere. With that identity, `age -d -i KEY ARCHIVE | tar xz` opens an
archive without CPIS. Its members, in this order:

    database.sqlite3 | database.dump   SQLite's online backup, or PostgreSQL's pg_dump -Fc
    media/...                          every file under MEDIA_ROOT
    manifest.json                      what a restore must find (digests.Manifest)

Everything streams: the tar is written into a pipe that age encrypts in another thread
and read back the same way, so neither the archive nor its plain text is held in memory;
only the database file is written out unencrypted, in a private temporary folder. A
restore first extracts and checks the whole archive (age authenticates every chunk) and
only then touches the target, so a damaged archive or a wrong key changes nothing."""

from .archive import BackupResult, RestoreResult, check_target, make_backup, prune, restore_backup, stage
from .digests import Manifest, describe, differences, digest_tables, engine_of, table_names
from .engines import database_alias, database_label, scratch_database
from .format import ARCHIVE_SUFFIX, BackupError, Identity, Recipient
from .keys import (
    identity_recipients,
    new_identity_text,
    parse_recipients,
    read_identities,
    throwaway_keys,
    write_identity,
)
from .streams import file_sha256

__all__ = [
    "ARCHIVE_SUFFIX",
    "BackupError",
    "BackupResult",
    "Identity",
    "Manifest",
    "Recipient",
    "RestoreResult",
    "check_target",
    "database_alias",
    "database_label",
    "describe",
    "differences",
    "digest_tables",
    "engine_of",
    "file_sha256",
    "identity_recipients",
    "make_backup",
    "new_identity_text",
    "parse_recipients",
    "prune",
    "read_identities",
    "restore_backup",
    "scratch_database",
    "stage",
    "table_names",
    "throwaway_keys",
    "write_identity",
]
