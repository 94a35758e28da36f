"""Benchmark of the dashboard's Largest Contentful Paint in headless Chromium on
loopback (median <= 1 s).

Serves the demo organisation with gunicorn (as ``fokus serve`` does) from a throw-away
SQLite data dir, logs in once, then loads the dashboard several times and reads the LCP
from the browser's PerformanceObserver. Run: ``python bench/bench_lcp.py``; exits
non-zero over budget. Needs Chromium (``CHROMIUM_PATH``, else /usr/bin/chromium).
"""

from __future__ import annotations

import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
BUDGET_MS = 1000.0
RUNS = 7
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")

LCP_SCRIPT = """() => new Promise((resolve) => {
  new PerformanceObserver((list) => {
    const entries = list.getEntries();
    resolve(entries[entries.length - 1].startTime);
  }).observe({type: "largest-contentful-paint", buffered: true});
})"""


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_for(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"the server at {url} did not answer")


def main() -> int:
    from playwright.sync_api import sync_playwright

    if not os.access(CHROMIUM, os.X_OK):
        print(
            f"bench_lcp: no Chromium at {CHROMIUM}: install it (apt-get install -y chromium) "
            "or set CHROMIUM_PATH",
            file=sys.stderr,
        )
        return 1

    env = {
        **os.environ,
        "FOKUS_DATA_DIR": tempfile.mkdtemp(prefix="fokus-lcp-"),
        "DJANGO_SETTINGS_MODULE": "fokus.settings",
        "PYTHONPATH": str(ROOT / "src"),
    }
    env.pop("DATABASE_URL", None)
    env.pop("REDIS_URL", None)
    fokus = [str(BIN / "python"), "-m", "fokus"]
    subprocess.run([*fokus, "migrate", "-v", "0"], env=env, check=True)
    subprocess.run([*fokus, "demo", "--no-serve"], env=env, check=True, capture_output=True)
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "fokus.wsgi",
            "-b",
            f"127.0.0.1:{port}",
            "-w",
            "2",
            "--log-level",
            "warning",
        ],
        env=env,
    )
    try:
        _wait_for(f"{base}/login/")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"]
            )
            page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="da-DK")
            page.goto(f"{base}/login/")
            page.fill("#id_username", "demo@example.com")
            page.fill("#id_password", "demo")
            page.click("button[type=submit].button-primary")
            page.wait_for_url(f"{base}/")
            times = []
            for _ in range(RUNS + 1):
                page.goto(f"{base}/", wait_until="load")
                times.append(page.evaluate(LCP_SCRIPT))
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=20)
    median = statistics.median(times[1:])  # the first load warms the server's caches
    print(f"dashboard LCP: median {median:.0f} ms over {RUNS} loads (budget {BUDGET_MS:.0f} ms)")
    return 1 if median > BUDGET_MS else 0


if __name__ == "__main__":
    sys.exit(main())
