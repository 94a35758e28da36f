"""The task queue works on both back-ends the settings choose between: SQLite in the
data dir by default, Redis when REDIS_URL is set."""

from __future__ import annotations

import os

import pytest
from huey import RedisHuey, SqliteHuey

REDIS_URL = os.environ.get("FOKUS_TEST_REDIS_URL")


def _round_trip(huey) -> int:
    @huey.task()
    def add(a: int, b: int) -> int:
        return a + b

    result = add(2, 3)
    task = huey.dequeue()
    huey.execute(task)
    return int(result.get())


def test_the_default_queue_is_a_sqlite_file_in_the_data_dir(tmp_path):
    huey = SqliteHuey("fokus-test", filename=str(tmp_path / "queue.sqlite3"))
    assert _round_trip(huey) == 5
    assert (tmp_path / "queue.sqlite3").exists()


@pytest.mark.redis
@pytest.mark.skipif(not REDIS_URL, reason="FOKUS_TEST_REDIS_URL is not set")
def test_the_scaled_queue_runs_on_redis():
    huey = RedisHuey("fokus-test-queue", url=REDIS_URL)
    huey.flush()
    try:
        assert _round_trip(huey) == 5
    finally:
        huey.flush()
        huey.storage.conn.close()


@pytest.mark.redis
@pytest.mark.skipif(not REDIS_URL, reason="FOKUS_TEST_REDIS_URL is not set")
def test_settings_choose_redis_for_queue_and_cache_when_redis_url_is_set(tmp_path):
    import subprocess
    import sys

    script = (
        "import django; django.setup();"
        "from django.conf import settings; from django.core.cache import cache;"
        "cache.set('fokus-probe', 42); print(cache.get('fokus-probe'));"
        "from huey.contrib.djhuey import HUEY; print(type(HUEY).__name__)"
    )
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("FOKUS_", "DJANGO_"))}
    environment.update(
        FOKUS_DATA_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE="fokus.settings", REDIS_URL=REDIS_URL
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=environment, timeout=60
    )
    assert result.stdout.split() == ["42", "RedisHuey"], result.stderr
