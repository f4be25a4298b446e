"""The import on PostgreSQL only: the COPY path gives what the ORM path gives,
batches written from a second thread in order, and the advisory lock that
makes a second import of a source wait its turn."""

import pytest
from django.db import connections
from django.utils import translation

from cpis.incidents import writing
from cpis.incidents.models import Incident, RunStatus

from .conftest import N1A
from .test_import import run_import, write_csv


@pytest.mark.postgres
def test_the_copy_path_gives_what_the_orm_path_gives(tree, taxonomy, tmp_path, good_rows):
    path = write_csv(tmp_path / "kp.csv", [*good_rows, ["A-1", "theft", "2024-01-01", "", *N1A, "", ""]])
    by_copy = run_import(path, source="by-copy", use_copy=True, batch_size=2)
    by_orm = run_import(path, source="by-orm", use_copy=False, batch_size=2)
    assert by_copy.used_copy and not by_orm.used_copy
    counts = ("rows", "created", "updated", "unchanged", "rejected", "unplaced")
    assert [getattr(by_copy, c) for c in counts] == [getattr(by_orm, c) for c in counts] == [5, 4, 0, 0, 1, 1]
    fields = (
        "source_id",
        "category_id",
        "occurred_on",
        "occurred_time",
        "lat",
        "lon",
        "place",
        "sector_id",
        "unit_path",
    )
    assert list(Incident.objects.filter(source="by-copy").order_by("source_id").values_list(*fields)) == list(
        Incident.objects.filter(source="by-orm").order_by("source_id").values_list(*fields)
    )
    good_rows[0][1] = "fraud"
    again = run_import(write_csv(tmp_path / "kp.csv", good_rows), source="by-copy", use_copy=True)
    assert (again.created, again.updated, again.unchanged) == (0, 1, 3)
    assert Incident.objects.get(source="by-copy", source_id="A-1").category.code == "fraud"


@pytest.mark.postgres
def test_outside_a_transaction_batches_are_written_from_a_second_thread_in_order(
    transactional_db, tree, taxonomy, tmp_path, monkeypatch
):
    import threading

    threads = set()
    original = writing.CopyWriter.write

    def spy(self, prepared, *, now):
        threads.add(threading.get_ident())
        return original(self, prepared, now=now)

    monkeypatch.setattr(writing.CopyWriter, "write", spy)
    rows = [[f"T-{i}", "theft", "2024-01-05", "", *N1A, "", ""] for i in range(50)]
    rows[30][0] = "T-3"  # a repeat in a later batch
    run = run_import(write_csv(tmp_path / "t.csv", rows), batch_size=7)
    assert run.status == RunStatus.DONE and run.used_copy
    assert (run.created, run.rejected) == (49, 1)
    assert threads and threading.get_ident() not in threads
    assert Incident.objects.count() == 49
    # The source is free again: a second run may start.
    assert run_import(tmp_path / "t.csv", batch_size=7).unchanged == 49


@pytest.mark.postgres
def test_a_second_import_of_the_same_source_waits_its_turn(tree, taxonomy, tmp_path, good_rows):
    """The advisory lock: while another session holds the source's import,
    an import of it fails at once, writes nothing and says why; another
    source is not held up, and the lock is released when an import ends."""
    path = write_csv(tmp_path / "kp.csv", good_rows)
    other = connections.create_connection("default")
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(hashtext(%s))", ["incidents-import:kp-ims"])
        with translation.override("en"):
            refused = run_import(path)
        assert refused.status == RunStatus.FAILED
        assert refused.error == "Another import of “kp-ims” is running: try again when it has finished."
        assert (refused.rows, refused.created) == (0, 0)
        assert not Incident.objects.filter(source="kp-ims").exists()
        assert run_import(path, source="kp-other").created == 4
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(hashtext(%s))", ["incidents-import:kp-ims"])
        assert run_import(path).created == 4
        with other.cursor() as cursor:  # released by the import that held it
            cursor.execute("SELECT pg_try_advisory_lock(hashtext(%s))", ["incidents-import:kp-ims"])
            assert cursor.fetchone()[0] is True
            cursor.execute("SELECT pg_advisory_unlock_all()")
    finally:
        other.close()
