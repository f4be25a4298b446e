"""Backups that restore: the round trip, the refusals and the manifest's checks, on the
engine the suite runs on (SQLite here, PostgreSQL in CI's second stage). The data is
committed (transactional tests), because pg_dump reads it from another connection."""

import gzip
import io
import json
import tarfile
from datetime import UTC, datetime, timedelta
from io import StringIO
from pathlib import Path

import pyrage
import pytest
from django.contrib.sessions.models import Session
from django.core.management import CommandError, call_command
from django.db import connection

from cpis.core import backups

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def media(settings, tmp_path):
    root = tmp_path / "media"
    (root / "concerns" / "2026").mkdir(parents=True)
    (root / "concerns" / "2026" / "photo.jpg").write_bytes(b"\xff\xd8 a photo \xff\xd9")
    (root / "minutes.pdf").write_bytes(b"%PDF-1.4 minutes")
    settings.MEDIA_ROOT = root
    return root


SESSION_KEYS = ("Zeta-session", "alpha-session", "Beta-session", "ça-session")


@pytest.fixture
def data(tree, media):
    """Units, and sessions whose text keys sort differently by byte and by dictionary."""
    for key in SESSION_KEYS:
        Session.objects.create(session_key=key, session_data="e30:", expire_date=datetime.now(UTC))
    return tree


@pytest.fixture
def keys(tmp_path):
    identity_file = tmp_path / "keys" / "backup-identity.txt"
    identity_file.parent.mkdir()
    recipient = backups.write_identity(identity_file)
    return identity_file, recipient


@pytest.fixture
def archive(data, keys, tmp_path) -> Path:
    _, recipient = keys
    (tmp_path / "archives").mkdir()
    result = backups.make_backup(
        destination=tmp_path / "archives",
        recipients=backups.parse_recipients([recipient], []),
        media_root=Path(tmp_path / "media"),
    )
    return result.path


def _restore(archive: Path, identity_file: Path, target, media_root: Path, **options):
    return backups.restore_backup(
        archive=archive,
        identities=backups.read_identities(identity_file),
        target=target,
        media_root=media_root,
        **options,
    )


def test_a_backup_restores_into_an_empty_database_with_every_table_and_file_equal(archive, keys, tmp_path):
    source = backups.describe(connection)
    with backups.scratch_database(connection, tmp_path) as scratch:
        result = _restore(archive, keys[0], scratch, tmp_path / "restored")
        assert backups.differences(result.manifest, scratch) == []
        assert backups.describe(scratch).tables == source.tables
        call_command("migrate", check_unapplied=True, database=scratch.alias, verbosity=0)
    assert result.manifest.tables == source.tables
    assert result.manifest.tables["organisation_unit"].rows == 8
    assert result.manifest.tables["django_session"].rows == 4
    assert (
        tmp_path / "restored" / "concerns" / "2026" / "photo.jpg"
    ).read_bytes() == b"\xff\xd8 a photo \xff\xd9"
    assert (tmp_path / "restored" / "minutes.pdf").read_bytes() == b"%PDF-1.4 minutes"
    assert result.manifest.media.files == 2


def test_the_archive_is_age_encrypted_and_shows_nothing_in_clear(archive):
    raw = archive.read_bytes()
    assert raw.startswith(b"age-encryption.org/v1\n")
    assert b"organisation_unit" not in raw
    assert b"a photo" not in raw
    assert archive.name.startswith("cpis-backup-")
    assert archive.name.endswith(".tar.gz.age")


def test_a_wrong_key_is_refused_and_changes_nothing(archive, tmp_path):
    other = tmp_path / "other-identity.txt"
    backups.write_identity(other)
    with backups.scratch_database(connection, tmp_path) as scratch:
        with pytest.raises(backups.BackupError, match=r"made for another key\. Nothing was changed"):
            _restore(archive, other, scratch, tmp_path / "restored")
        assert backups.table_names(scratch) == []
    assert not (tmp_path / "restored").exists()


def test_a_tampered_archive_is_refused_and_changes_nothing(archive, keys, tmp_path):
    raw = bytearray(archive.read_bytes())
    raw[len(raw) // 2] ^= 0x01
    archive.write_bytes(bytes(raw))
    with backups.scratch_database(connection, tmp_path) as scratch:
        with pytest.raises(backups.BackupError, match="damaged or was altered"):
            _restore(archive, keys[0], scratch, tmp_path / "restored")
        assert backups.table_names(scratch) == []
    assert not (tmp_path / "restored").exists()


def test_a_truncated_archive_is_refused(archive, keys, tmp_path):
    archive.write_bytes(archive.read_bytes()[:-100])
    with backups.scratch_database(connection, tmp_path) as scratch:
        with pytest.raises(backups.BackupError, match="Nothing was changed"):
            _restore(archive, keys[0], scratch, tmp_path / "restored")
        assert backups.table_names(scratch) == []


def _url(scratch) -> str:
    settings = scratch.settings_dict
    if scratch.vendor == "sqlite":
        return f"sqlite:///{settings['NAME']}"
    password = f":{settings['PASSWORD']}" if settings["PASSWORD"] else ""
    server = f"{settings['HOST']}:{settings['PORT'] or 5432}"
    return f"postgres://{settings['USER']}{password}@{server}/{settings['NAME']}"


def test_the_restore_command_reports_a_wrong_key_as_a_command_error(archive, tmp_path):
    other = tmp_path / "other-identity.txt"
    backups.write_identity(other)
    with (
        backups.scratch_database(connection, tmp_path) as scratch,
        pytest.raises(CommandError, match="made for another key"),
    ):
        call_command(
            "restore", str(archive), identity=str(other), into=_url(scratch), media_root=str(tmp_path / "m")
        )


def test_the_restore_command_restores_into_a_named_database(archive, keys, tmp_path):
    out = StringIO()
    with backups.scratch_database(connection, tmp_path) as scratch:
        call_command(
            "restore",
            str(archive),
            identity=str(keys[0]),
            into=_url(scratch),
            media_root=str(tmp_path / "m"),
            stdout=out,
        )
        assert "organisation_unit" in backups.table_names(scratch)
    assert "tables, " in out.getvalue()
    assert "equal to its manifest" in out.getvalue()


def test_restore_refuses_a_database_that_is_not_empty_unless_forced(archive, keys, tmp_path):
    with pytest.raises(CommandError, match=r"is not empty \(\d+ tables\).*--force"):
        call_command("restore", str(archive), identity=str(keys[0]), media_root=str(tmp_path / "m"))
    with backups.scratch_database(connection, tmp_path) as scratch:
        _restore(archive, keys[0], scratch, tmp_path / "restored")
        with pytest.raises(backups.BackupError, match="is not empty"):
            _restore(archive, keys[0], scratch, tmp_path / "elsewhere")
        with scratch.cursor() as cursor:
            cursor.execute("DELETE FROM django_session")
            cursor.execute("CREATE TABLE stray (id integer PRIMARY KEY)")
        result = _restore(archive, keys[0], scratch, tmp_path / "restored", force=True)
        assert backups.differences(result.manifest, scratch) == []
        assert "stray" not in backups.table_names(scratch)


def test_restore_refuses_a_media_folder_that_is_not_empty_unless_forced(archive, keys, tmp_path):
    (tmp_path / "restored").mkdir()
    (tmp_path / "restored" / "kept.txt").write_text("mine")
    with backups.scratch_database(connection, tmp_path) as scratch:
        with pytest.raises(backups.BackupError, match=r"media folder .* is not empty"):
            _restore(archive, keys[0], scratch, tmp_path / "restored")
        assert backups.table_names(scratch) == []
        _restore(archive, keys[0], scratch, tmp_path / "restored", force=True)
    assert not (tmp_path / "restored" / "kept.txt").exists()
    assert (tmp_path / "restored" / "minutes.pdf").exists()


@pytest.mark.parametrize(
    ("change", "difference"),
    [
        (
            "DELETE FROM organisation_unit WHERE code = 's1a'",
            "table organisation_unit has 7 rows, the backup 8",
        ),
        (
            "UPDATE organisation_unit SET name_en = 'Sector Z' WHERE code = 's1a'",
            "table organisation_unit has 8 rows as in the backup, but other contents",
        ),
    ],
    ids=["a missing row", "changed contents with the same count"],
)
def test_the_manifest_catches(change, difference, archive, keys, tmp_path):
    with backups.scratch_database(connection, tmp_path) as scratch:
        result = _restore(archive, keys[0], scratch, tmp_path / "restored")
        with scratch.cursor() as cursor:
            cursor.execute(change)
        assert backups.differences(result.manifest, scratch) == [difference]


def _rewrite_manifest(archive: Path, identity_file: Path, recipient: str, change) -> None:
    """Decrypt the archive, change its manifest, and encrypt it again with the right key:
    what a restore whose database lost a row would see."""
    plain = pyrage.decrypt(archive.read_bytes(), backups.read_identities(identity_file))
    rebuilt = io.BytesIO()
    with (
        tarfile.open(fileobj=io.BytesIO(gzip.decompress(plain)), mode="r:") as source,
        gzip.GzipFile(fileobj=rebuilt, mode="wb") as compressed,
        tarfile.open(fileobj=compressed, mode="w") as target,
    ):
        for member in source.getmembers():
            content = source.extractfile(member).read()
            if member.name == "manifest.json":
                manifest = json.loads(content)
                change(manifest)
                content = json.dumps(manifest).encode()
                member.size = len(content)
            target.addfile(member, io.BytesIO(content))
    archive.write_bytes(pyrage.encrypt(rebuilt.getvalue(), backups.parse_recipients([recipient], [])))


def test_a_restore_whose_database_lacks_a_row_of_the_manifest_fails_with_the_table_named(
    archive, keys, tmp_path
):
    def one_more_unit(manifest):
        manifest["tables"]["organisation_unit"]["rows"] += 1

    _rewrite_manifest(archive, *keys, one_more_unit)
    with (
        backups.scratch_database(connection, tmp_path) as scratch,
        pytest.raises(backups.BackupError, match="table organisation_unit has 8 rows, the backup 9"),
    ):
        _restore(archive, keys[0], scratch, tmp_path / "restored")


def test_an_archive_from_a_newer_cpis_is_refused_before_anything_changes(archive, keys, tmp_path):
    def newer(manifest):
        manifest["migrations"].append(["organisation", "9999_from_the_future"])

    _rewrite_manifest(archive, *keys, newer)
    with backups.scratch_database(connection, tmp_path) as scratch:
        with pytest.raises(backups.BackupError, match=r"organisation\.9999_from_the_future"):
            _restore(archive, keys[0], scratch, tmp_path / "restored")
        assert backups.table_names(scratch) == []


def test_backup_key_writes_an_identity_for_its_owner_only_and_never_overwrites_it(tmp_path):
    identity_file = tmp_path / "identity.txt"
    out = StringIO()
    call_command("backup_key", str(identity_file), stdout=out)
    recipient = out.getvalue().strip().splitlines()[-1]
    assert recipient.startswith("age1")
    assert identity_file.stat().st_mode & 0o777 == 0o600
    assert backups.identity_recipients(identity_file) == [recipient]
    with pytest.raises(CommandError, match=f"not overwritten. Its recipient: {recipient}"):
        call_command("backup_key", str(identity_file))


def test_backup_refuses_a_secret_identity_in_place_of_a_recipient(keys, tmp_path):
    with pytest.raises(CommandError, match="must hold only the public recipient"):
        call_command("backup", str(tmp_path), recipients_file=[str(keys[0])])
    with pytest.raises(CommandError, match="No recipient"):
        call_command("backup", str(tmp_path))
    with pytest.raises(CommandError, match=r"neither a folder nor a file name ending in \.age"):
        call_command("backup", str(tmp_path / "missing-folder"), recipient=[keys[1]])


def test_the_backup_command_names_the_archive_by_the_time_and_prunes_old_ones(data, keys, tmp_path):
    folder = tmp_path / "archives"
    folder.mkdir()
    recipients_file = tmp_path / "recipients.txt"
    recipients_file.write_text(f"# the backup key of the CPIS server\n{keys[1]}\n")
    old = folder / backups.archive.archive_name(datetime.now(UTC) - timedelta(days=40))
    old.write_bytes(b"an old archive")
    recent = folder / backups.archive.archive_name(datetime.now(UTC) - timedelta(days=2))
    recent.write_bytes(b"a recent archive")
    out = StringIO()
    call_command("backup", str(folder), recipients_file=[str(recipients_file)], keep_days=30, stdout=out)
    assert "Backup written" in out.getvalue()
    assert f"Deleted {old}" in out.getvalue()
    assert not old.exists()
    assert recent.exists()
    assert len(list(folder.glob("cpis-backup-*.tar.gz.age"))) == 2
    assert not list(folder.glob(".*"))  # no partial file or work folder left behind


def test_the_restore_drill_backs_up_restores_checks_and_times(data, tmp_path):
    out = StringIO()
    (tmp_path / "drill").mkdir()
    call_command("restore_drill", work_dir=str(tmp_path / "drill"), stdout=out)
    report = out.getvalue()
    assert "migrate --check: no unapplied migrations" in report
    assert "counts and digests equal to the backup's; 2 media files equal" in report
    assert "Drill passed: restore and check took" in report
    assert list((tmp_path / "drill").iterdir()) == []  # the archive and the scratch database are gone
    if connection.vendor == "postgresql":
        # This database's scratch copies only: another test worker's drill may be running now.
        pattern = str(connection.settings_dict["NAME"])[:40].replace("_", "\\_") + "\\_drill\\_%"
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_database WHERE datname LIKE %s", [pattern])
            assert cursor.fetchone()[0] == 0


def test_the_restore_drill_fails_loudly_on_an_archive_it_cannot_read(archive, tmp_path):
    other = tmp_path / "other-identity.txt"
    backups.write_identity(other)
    with pytest.raises(CommandError, match=r"Restore drill failed: .*another key"):
        call_command("restore_drill", str(archive), identity=str(other), work_dir=str(tmp_path))


@pytest.mark.postgres
def test_postgres_digests_do_not_depend_on_the_database_collation(archive, keys, tmp_path):
    """Restored into a database that sorts text as a dictionary does (ICU), the text keys
    are still digested in byte order: the digests agree."""
    quote = connection.ops.quote_name
    name = f"{connection.settings_dict['NAME']}_icu"
    with connection.cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {quote(name)}")
        cursor.execute(
            f"CREATE DATABASE {quote(name)} TEMPLATE template0 LOCALE_PROVIDER icu ICU_LOCALE 'und'"
        )
    try:
        with backups.database_alias({**connection.settings_dict, "NAME": name}) as icu:
            result = _restore(archive, keys[0], icu, tmp_path / "restored")
            assert backups.differences(result.manifest, icu) == []
            order = "SELECT session_key FROM django_session ORDER BY session_key"
            with icu.cursor() as cursor:
                cursor.execute(order)
                by_dictionary = [row[0] for row in cursor.fetchall()]
        with connection.cursor() as cursor:
            cursor.execute(order)
            here = [row[0] for row in cursor.fetchall()]
        assert by_dictionary == ["alpha-session", "Beta-session", "ça-session", "Zeta-session"]
        assert here != by_dictionary  # the two databases do sort text differently
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {quote(name)} WITH (FORCE)")
