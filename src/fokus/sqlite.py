"""SQLite write-ahead-log checkpoints off the request path.

In WAL mode SQLite copies the log back into the database file (a checkpoint, with an
fsync) whenever a commit grows the log past ``wal_autocheckpoint`` pages, inside that
commit: every few bulk requests one of them would wait ~100 ms for it. Instead each
long-running process (``fokus.runtime``) runs passive checkpoints from a background
thread every ``CHECKPOINT_SECONDS``; a passive checkpoint never blocks readers or
writers. The connections' own ``wal_autocheckpoint`` (settings, ``AUTOCHECKPOINT_PAGES``)
stays as a backstop for a log the thread has not caught up with.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import threading
import time

CHECKPOINT_SECONDS = 0.5
AUTOCHECKPOINT_PAGES = 10_000  # 40 MB of log at SQLite's 4 KiB pages

logger = logging.getLogger(__name__)
_lock = threading.Lock()
_started: set[tuple[int, str]] = set()


def _is_file(name: str) -> bool:
    return bool(name) and name != ":memory:" and "mode=memory" not in name


def _checkpoint_forever(path: str) -> None:
    connection = sqlite3.connect(path, timeout=0, isolation_level=None)
    while True:
        time.sleep(CHECKPOINT_SECONDS)
        try:
            connection.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
        except sqlite3.Error as error:  # busy, or the file is gone: try again later
            logger.debug("WAL checkpoint of %s skipped: %s", path, error)


def start_checkpointer(path: str) -> bool:
    """Start the checkpoint thread for the database at ``path`` in this process (once;
    again in a forked child). Returns whether a thread was started."""
    key = (os.getpid(), path)
    with _lock:
        if key in _started or not _is_file(path):
            return False
        _started.add(key)
    thread = threading.Thread(
        target=_checkpoint_forever, args=(path,), name="fokus-wal-checkpoint", daemon=True
    )
    thread.start()
    return True
