"""`fokus serve` runs the web server and the worker together; Ctrl-C stops both."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _get(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=20) as response:
            response.read()  # a real client reads the page before it hangs up
            return int(response.status)
    except urllib.error.HTTPError as error:
        return int(error.code)


def test_serve_answers_http_and_ctrl_c_stops_web_and_worker(tmp_path):
    port = _free_port()
    environment = {
        k: v for k, v in os.environ.items() if not k.startswith(("FOKUS_", "DJANGO_", "DATABASE"))
    }
    environment["FOKUS_DATA_DIR"] = str(tmp_path)
    process = subprocess.Popen(
        [sys.executable, "-m", "fokus", "serve", "--port", str(port), "--workers", "1"],
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        status = None
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                status = _get(f"http://127.0.0.1:{port}/login/")
                break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.3)
        assert status == 200
        assert (tmp_path / "queue.sqlite3").exists()  # the worker's queue is in the data dir
        os.killpg(process.pid, signal.SIGINT)  # what Ctrl-C in a terminal does
        process.wait(timeout=30)
        output = process.stdout.read().decode() if process.stdout else ""
        assert process.returncode == 0, output
        assert "Traceback" not in output, output[-4000:]
        # Nothing keeps listening after the stop.
        with socket.socket() as probe:
            assert probe.connect_ex(("127.0.0.1", port)) != 0
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        if process.stdout:
            process.stdout.close()
