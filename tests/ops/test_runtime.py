"""What keeps stalls out of requests: SQLite checkpoints in a background thread, and the
start-up objects frozen out of the garbage collector after the first request."""

from __future__ import annotations

import gc
import sqlite3
import threading
import time

import pytest
from django.db.backends.signals import connection_created

from fokus.runtime import tune_web_process
from fokus.sqlite import start_checkpointer


def test_the_background_thread_copies_the_log_into_the_database(tmp_path):
    path = tmp_path / "fokus.sqlite3"
    writer = sqlite3.connect(path, isolation_level=None)
    writer.execute("PRAGMA journal_mode=WAL")
    writer.execute("PRAGMA wal_autocheckpoint=0")  # only the thread checkpoints
    writer.execute("CREATE TABLE t (x TEXT)")
    writer.executemany("INSERT INTO t VALUES (?)", [("x" * 500,)] * 2000)
    before = path.stat().st_size
    assert before < 100_000  # the rows are in the log, not yet in the database file

    assert start_checkpointer(str(path))
    assert not start_checkpointer(str(path))  # once per process and database

    deadline = time.monotonic() + 10
    while path.stat().st_size < 1_000_000 and time.monotonic() < deadline:
        time.sleep(0.1)
    assert path.stat().st_size >= 1_000_000
    assert "fokus-wal-checkpoint" in {t.name for t in threading.enumerate()}
    writer.close()


@pytest.mark.parametrize("name", [":memory:", "file:memorydb_default?mode=memory&cache=shared"])
def test_no_thread_for_a_database_in_memory(name):
    assert not start_checkpointer(name)


@pytest.mark.django_db
def test_a_tuned_web_process_freezes_its_start_up_objects_after_the_first_request(client):
    connected = tune_web_process()
    try:
        client.get("/login/")
    finally:
        connection_created.disconnect(dispatch_uid=connected)

    assert gc.get_freeze_count() > 10_000
