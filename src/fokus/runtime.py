"""Tuning of the long-running processes of Fokus, in one place: ``fokus serve`` applies it
to each web process (gunicorn loads this module as its configuration and calls
``post_worker_init``) and ``fokus worker`` to the background worker. One-off commands and
the tests run without it.

- **SQLite checkpoints off the request path** (``fokus.sqlite``): each process that opens
  the database copies the write-ahead log back from a background thread, instead of
  inside whichever commit grows the log past its limit.
- **The garbage collector off the request path** (web processes): a process serving
  Fokus holds some 120,000 long-lived objects (Django, the URLconf, the API schema,
  Babel's locale data). Every few requests that allocate many objects, as a bulk write
  does, the collector's full pass walks all of them: some 90 ms inside whichever request
  triggered it. Once the first request has been served, everything loaded so far is there
  for the life of the process, so it is moved out of the collector's generations
  (``gc.freeze``); later full passes only walk what came after.
"""

from __future__ import annotations

import gc
from typing import Any

from django.core.signals import request_finished
from django.db.backends.signals import connection_created

from fokus.sqlite import start_checkpointer


def _checkpoint_sqlite(sender: Any, connection: Any, **kwargs: Any) -> None:
    if connection.vendor == "sqlite":
        start_checkpointer(str(connection.settings_dict["NAME"]))


FREEZE = "fokus-gc-freeze"


def _freeze_after_first_request(sender: Any, **kwargs: Any) -> None:
    request_finished.disconnect(dispatch_uid=FREEZE)
    gc.collect()
    gc.freeze()


CHECKPOINTS = "fokus-wal-checkpoint"


def tune_worker_process() -> str:
    """The background worker's tuning; returns the ``dispatch_uid`` of the checkpoints."""
    connection_created.connect(_checkpoint_sqlite, dispatch_uid=CHECKPOINTS)
    return CHECKPOINTS


def tune_web_process() -> str:
    """A web process's tuning; returns the ``dispatch_uid`` of the checkpoints."""
    request_finished.connect(_freeze_after_first_request, dispatch_uid=FREEZE)
    return tune_worker_process()


def post_worker_init(worker: Any) -> None:
    """gunicorn's hook, once a web process has loaded the application."""
    tune_web_process()
