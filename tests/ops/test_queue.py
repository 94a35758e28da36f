"""The task queue Fokus configures works on both back-ends its settings choose between: a
SQLite file in the data dir by default, Redis when REDIS_URL is set.

The test settings replace the queue with one that runs tasks at once, so each test starts
a process on Fokus' own settings, takes the queue Django's Huey integration built from
them, and sends a task through it the way the web process and the worker do."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from urllib.parse import urlsplit

import pytest

REDIS_URL = os.environ.get("FOKUS_TEST_REDIS_URL")

# Put a task on the configured queue (as a web request does), take it off and run it (as
# the worker does), and tell what the queue is and what came back.
ROUND_TRIP = """
import json

import django

django.setup()

from huey.contrib.djhuey import HUEY


@HUEY.task()
def add(a, b):
    return a + b


HUEY.flush()
result = add(2, 3)
queued = HUEY.pending_count()
HUEY.execute(HUEY.dequeue())
storage = HUEY.storage
if type(HUEY).__name__ == "SqliteHuey":
    where = {"file": storage.filename}
else:
    server = storage.conn.connection_pool.connection_kwargs
    where = {"redis": {k: server[k] for k in ("host", "port", "db")}}
print(json.dumps({
    "queue": type(HUEY).__name__,
    "name": HUEY.name,
    "runs_tasks_at_once": HUEY.immediate,
    "queued": queued,
    "result": result.get(),
    "left": HUEY.pending_count(),
    **where,
}))
HUEY.flush()
"""


def _fokus_process(tmp_path, script: str, **extra_env: str) -> subprocess.CompletedProcess:
    """Run ``script`` in a new process on fokus.settings with ``tmp_path`` as the data dir."""
    environment = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("FOKUS_", "DJANGO_", "DATABASE_URL", "REDIS_URL", "SECRET_KEY"))
    }
    environment.update(
        FOKUS_DATA_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE="fokus.settings", **extra_env
    )
    return subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=environment, timeout=60
    )


def test_the_default_queue_is_a_sqlite_file_in_the_data_dir(tmp_path):
    result = _fokus_process(tmp_path, ROUND_TRIP)

    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {
        "queue": "SqliteHuey",
        "name": "fokus",
        "runs_tasks_at_once": False,
        "queued": 1,
        "result": 5,
        "left": 0,
        "file": str(tmp_path / "queue.sqlite3"),
    }
    assert (tmp_path / "queue.sqlite3").is_file()


@pytest.mark.redis
@pytest.mark.skipif(not REDIS_URL, reason="FOKUS_TEST_REDIS_URL is not set")
def test_with_redis_url_set_the_queue_runs_on_that_redis(tmp_path):
    result = _fokus_process(tmp_path, ROUND_TRIP, REDIS_URL=REDIS_URL)

    url = urlsplit(REDIS_URL)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {
        "queue": "RedisHuey",
        "name": "fokus",
        "runs_tasks_at_once": False,
        "queued": 1,
        "result": 5,
        "left": 0,
        "redis": {"host": url.hostname, "port": url.port or 6379, "db": int(url.path[1:] or 0)},
    }
    assert not (tmp_path / "queue.sqlite3").exists()


@pytest.mark.redis
@pytest.mark.skipif(not REDIS_URL, reason="FOKUS_TEST_REDIS_URL is not set")
def test_settings_choose_redis_for_queue_and_cache_when_redis_url_is_set(tmp_path):
    script = (
        "import django; django.setup();"
        "from django.conf import settings; from django.core.cache import cache;"
        "cache.set('fokus-probe', 42); print(cache.get('fokus-probe'));"
        "from huey.contrib.djhuey import HUEY; print(type(HUEY).__name__)"
    )

    result = _fokus_process(tmp_path, script, REDIS_URL=REDIS_URL)

    assert result.stdout.split() == ["42", "RedisHuey"], result.stderr
