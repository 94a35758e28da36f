"""Settings come only from the environment; a production configuration passes Django's
deployment checks."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time

import pytest
from django.core.exceptions import ImproperlyConfigured

from fokus import env


def _fokus(tmp_path, *args, **extra_env):
    environment = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("FOKUS_", "DJANGO_", "DATABASE_URL", "REDIS_URL", "SECRET_KEY"))
    }
    environment.update(FOKUS_DATA_DIR=str(tmp_path), **extra_env)
    return subprocess.run(
        [sys.executable, "-m", "fokus", *args],
        capture_output=True,
        text=True,
        env=environment,
        timeout=60,
    )


def test_check_deploy_is_clean_with_https_and_real_hosts(tmp_path):
    result = _fokus(
        tmp_path,
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        FOKUS_BASE_URL="https://fokus.example.dk",
        ALLOWED_HOSTS="fokus.example.dk",
    )
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout


def test_check_deploy_warns_when_debug_is_on(tmp_path):
    result = _fokus(
        tmp_path,
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        FOKUS_BASE_URL="https://fokus.example.dk",
        ALLOWED_HOSTS="fokus.example.dk",
        FOKUS_DEBUG="true",
    )
    assert result.returncode == 1
    assert "(security.W018) You should not have DEBUG set to True in deployment." in (result.stderr)


def test_the_secret_key_is_generated_once_into_the_data_dir(tmp_path):
    first = env.secret_key(tmp_path)
    assert re.fullmatch(r"[A-Za-z0-9_-]{67}", first)  # 50 random bytes, URL-safe
    assert env.secret_key(tmp_path) == first
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_sqlite_runs_in_wal_mode_with_immediate_transactions(tmp_path):
    script = (
        "import django; django.setup();"
        "from django.db import connection;"
        "c = connection.cursor(); c.execute('PRAGMA journal_mode'); print(c.fetchone()[0]);"
        "print(connection.settings_dict['OPTIONS']['transaction_mode'])"
    )
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("FOKUS_", "DATABASE"))}
    environment.update(FOKUS_DATA_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE="fokus.settings")
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=environment, timeout=60
    )
    assert result.stdout.split() == ["wal", "IMMEDIATE"], result.stderr
    assert (tmp_path / "fokus.sqlite3").exists()


def test_a_malformed_boolean_names_the_variable(monkeypatch):
    monkeypatch.setenv("FOKUS_DEBUG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="FOKUS_DEBUG"):
        env.env_bool("FOKUS_DEBUG")


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("smtp://u:p%40ss@mail.example.dk:2525", ("mail.example.dk", 2525, "p@ss", False, False)),
        ("smtp+tls://mail.example.dk:587", ("mail.example.dk", 587, "", True, False)),
        ("smtps://mail.example.dk", ("mail.example.dk", 465, "", False, True)),
    ],
)
def test_email_url_is_parsed(monkeypatch, url, expected):
    monkeypatch.setenv("EMAIL_URL", url)
    config = env.email_settings()
    assert (
        config["EMAIL_HOST"],
        config["EMAIL_PORT"],
        config["EMAIL_HOST_PASSWORD"],
        config["EMAIL_USE_TLS"],
        config["EMAIL_USE_SSL"],
    ) == expected


def test_an_unknown_email_scheme_is_refused(monkeypatch):
    monkeypatch.setenv("EMAIL_URL", "imap://mail.example.dk")
    with pytest.raises(ImproperlyConfigured, match="EMAIL_URL"):
        env.email_settings()


def test_processes_starting_together_on_a_new_data_dir_get_the_same_secret_key(tmp_path):
    """The web workers and the queue's worker start at once on a first run: none of them
    may read a key file that is not written yet (an empty SECRET_KEY)."""
    code = (
        "import sys, time; from pathlib import Path; from fokus import env; "
        "time.sleep(max(0.0, float(sys.argv[2]) - time.time())); "
        "print(env.secret_key(Path(sys.argv[1])))"
    )
    start = f"{time.time() + 1.5:.3f}"
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", code, str(tmp_path), start],
            stdout=subprocess.PIPE,
            text=True,
            env={**os.environ, "SECRET_KEY": ""},
        )
        for _ in range(8)
    ]
    keys = {process.communicate(timeout=60)[0].strip() for process in processes}

    assert len(keys) == 1 and "" not in keys
    assert (tmp_path / "secret_key").read_text().strip() in keys
    assert [p.name for p in tmp_path.iterdir()] == ["secret_key"]
