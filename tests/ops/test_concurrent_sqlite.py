"""Concurrent API writers on the default setup: SQLite in the data dir, served by several
gunicorn processes. The same Idempotency-Key sent at once from many clients writes once
and every client gets the same answer; writers with their own keys all succeed (no
"database is locked")."""

from __future__ import annotations

import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

CLIENTS = 6


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _request(url: str, *, method: str = "GET", body: object = None, headers=None):
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    if data is not None:
        request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


@pytest.fixture
def server(tmp_path: Path):
    environment = {
        k: v for k, v in os.environ.items() if not k.startswith(("FOKUS_", "DJANGO_", "DATABASE"))
    }
    environment["FOKUS_DATA_DIR"] = str(tmp_path)
    fokus = [sys.executable, "-m", "fokus"]
    subprocess.run([*fokus, "migrate", "-v", "0"], env=environment, check=True)
    subprocess.run(
        [*fokus, "createuser", "ejer@example.com", "--org", "Samtidig ApS"],
        env=environment,
        input=b"hemmeligt-kodeord-42\n",
        check=True,
        capture_output=True,
    )
    token = subprocess.run(
        [*fokus, "token", "create", "ejer@example.com"],
        env=environment,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()[-1]
    port = _free_port()
    process = subprocess.Popen(
        [*fokus, "serve", "--port", str(port), "--workers", "3"],
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}/api/v1"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            _request(f"{base}/openapi.json")
            break
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.3)
    try:
        yield base, {"Authorization": f"Bearer {token}"}, tmp_path / "fokus.sqlite3"
    finally:
        os.killpg(process.pid, signal.SIGINT)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def _together(send, count: int = CLIENTS) -> list:
    barrier = threading.Barrier(count)
    answers: list = []

    def run(n: int) -> None:
        barrier.wait(timeout=30)
        answers.append(send(n))

    threads = [threading.Thread(target=run, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return answers


def _stored(database: Path) -> int:
    with sqlite3.connect(database) as db:
        return int(db.execute("SELECT count(*) FROM kpis_checkin").fetchone()[0])


def test_concurrent_writers_on_sqlite_write_once_per_key_and_never_fail(server):
    base, auth, database = server
    status, _headers, body = _request(
        f"{base}/kpis",
        method="POST",
        body={"name": "Omsætning", "period": "2027", "target": 1000000, "unit": "currency"},
        headers=auth,
    )
    assert status == 201, body
    slug = json.loads(body)["slug"]
    items = [
        {"kpi": slug, "date": f"2027-03-{d:02d}", "value": d * 100, "external_id": f"s-{d}"}
        for d in range(1, 29)
    ]

    same = _together(
        lambda _n: _request(
            f"{base}/checkins/bulk",
            method="POST",
            body={"checkins": items},
            headers={**auth, "Idempotency-Key": "en-gang"},
        )
    )

    assert [status for status, _h, _b in same] == [201] * CLIENTS
    assert len({body for _s, _h, body in same}) == 1  # the same answer, byte for byte
    replayed = [h for _s, h, _b in same if h.get("Idempotent-Replayed") == "true"]
    assert len(replayed) == CLIENTS - 1
    assert _stored(database) == len(items)

    own = _together(
        lambda n: _request(
            f"{base}/checkins/bulk",
            method="POST",
            body={
                "checkins": [
                    {"kpi": slug, "date": "2027-04-01", "value": 1, "external_id": f"c{n}-{i}"}
                    for i in range(200)
                ]
            },
            headers={**auth, "Idempotency-Key": f"klient-{n}"},
        )
    )

    assert [status for status, _h, _b in own] == [201] * CLIENTS
    assert _stored(database) == len(items) + CLIENTS * 200
