"""Benchmark of the bulk check-in API: POST /api/v1/checkins/bulk with 1,000 check-ins
per request through Django's in-process test client on SQLite must sustain >= 50,000
check-ins/s, and the 95th percentile of one request must be <= 100 ms.

Run: ``python bench/bench_bulk_api.py``. It uses a throw-away data dir (a fresh SQLite
database), sends REQUESTS requests with distinct external ids (so each item is looked up
and stored), prints the figures and exits non-zero when over budget.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
DATA_DIR = tempfile.mkdtemp(prefix="fokus-bench-bulk-")
os.environ["FOKUS_DATA_DIR"] = DATA_DIR
for name in ("DATABASE_URL", "REDIS_URL"):
    os.environ.pop(name, None)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fokus.settings")

import django  # noqa: E402

django.setup()

# Measured as a process `fokus serve` runs (its tuning: fokus.runtime).
from fokus.runtime import tune_web_process  # noqa: E402

tune_web_process()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402

from fokus.accounts.services import token_create, user_create  # noqa: E402
from fokus.kpis.models import CheckIn  # noqa: E402
from fokus.kpis.services import KpiSpec, kpi_create  # noqa: E402

ITEMS = 1000
REQUESTS = 60
WARMUP = 5
N_KPIS = 10
MIN_RATE = 50_000
MAX_P95_MS = 100.0


def bodies(slugs: list[str]) -> list[bytes]:
    result = []
    start = date(2027, 1, 1)
    for r in range(WARMUP + REQUESTS):
        items = [
            {
                "kpi": slugs[i % len(slugs)],
                "date": (start + timedelta(days=(r * ITEMS + i) % 365)).isoformat(),
                "value": (i % 97) + 0.5,
                "external_id": f"r{r}-i{i}",
            }
            for i in range(ITEMS)
        ]
        result.append(json.dumps({"checkins": items}).encode())
    return result


def main() -> int:
    settings.FOKUS_API_RATE_LIMIT = (1_000_000, 60)
    call_command("migrate", verbosity=0)
    membership = user_create(email="bench@example.com", password="x", organisation_name="Bench")
    organisation = membership.organisation
    slugs = [
        kpi_create(
            organisation=organisation,
            spec=KpiSpec(
                name=f"Salg {i}", start=date(2027, 1, 1), end=date(2027, 12, 31), target=10**9
            ),
        ).slug
        for i in range(N_KPIS)
    ]
    _token, raw = token_create(user=membership.user, organisation=organisation)
    client = Client(HTTP_AUTHORIZATION=f"Bearer {raw}", HTTP_HOST="127.0.0.1")
    payloads = bodies(slugs)
    latencies = []
    cpu = 0.0
    for n, body in enumerate(payloads):
        cpu_start, started = time.process_time(), time.perf_counter()
        response = client.post("/api/v1/checkins/bulk", body, content_type="application/json")
        elapsed = time.perf_counter() - started
        assert response.status_code == 201, response.content[:500]
        if n >= WARMUP:
            latencies.append(elapsed)
            cpu += time.process_time() - cpu_start
    assert CheckIn.objects.count() == len(payloads) * ITEMS
    total = sum(latencies)
    rate = REQUESTS * ITEMS / total
    p95 = statistics.quantiles(latencies, n=20)[-1] * 1000
    print(f"{REQUESTS} requests of {ITEMS:,} check-ins (after {WARMUP} warm-up requests)")
    print(f"sustained: {rate:,.0f} check-ins/s (CPU time only: {REQUESTS * ITEMS / cpu:,.0f}/s)")
    print(f"one request: median {statistics.median(latencies) * 1000:.1f} ms, p95 {p95:.1f} ms")
    print(f"budget: >= {MIN_RATE:,} check-ins/s and p95 <= {MAX_P95_MS:.0f} ms")
    return 0 if rate >= MIN_RATE and p95 <= MAX_P95_MS else 1


if __name__ == "__main__":
    try:
        sys.exit(main())
    finally:
        shutil.rmtree(DATA_DIR, ignore_errors=True)
