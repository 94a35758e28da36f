"""Benchmark of the alert scan on a fresh SQLite database (or ``DATABASE_URL``).

One organisation with 10,000 overdue customers: the first scan raises 10,000 alerts (each
with its delivery rows, one transaction each); every later scan — the worker runs one every
15 minutes — finds nothing new and must take <= 1 s. Also prints how long sending the
10,000 in-app rows takes.

Run: ``python bench/bench_alerts.py [N]``. Exits non-zero when the steady scan is over
the budget.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("FOKUS_DATA_DIR", tempfile.mkdtemp(prefix="fokus-bench-alerts-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fokus.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402

N = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
BUDGET_SECONDS = 1.0
TODAY = dt.date(2027, 6, 30)
NOW = dt.datetime(2027, 6, 30, 8, 0, tzinfo=dt.UTC)


def main() -> int:
    from fokus.accounts.services import organisation_create
    from fokus.alerts.delivery import deliver_due
    from fokus.alerts.services import alerts_sync
    from fokus.customers.models import Customer

    call_command("migrate", verbosity=0)
    org = organisation_create(name="Bench ApS")
    since = dt.date(2027, 1, 1)
    Customer.objects.bulk_create(
        Customer(
            organisation=org,
            name=f"Kunde {i:05d}",
            since=since,
            contact_interval_months=3,
            contact_due_on=dt.date(2027, 4, 1),
        )
        for i in range(N)
    )

    start = time.perf_counter()
    first = alerts_sync(organisation=org, today=TODAY, now=NOW)
    raise_seconds = time.perf_counter() - start
    assert len(first.raised) == N, len(first.raised)

    steady = []
    for _ in range(3):
        start = time.perf_counter()
        again = alerts_sync(organisation=org, today=TODAY, now=NOW)
        steady.append(time.perf_counter() - start)
        assert again.raised == [] and again.resolved == []

    start = time.perf_counter()
    sent = 0
    while True:
        run = deliver_due(now=NOW)
        if not run.sent:
            break
        sent += run.sent
    deliver_seconds = time.perf_counter() - start

    best = min(steady)
    print(f"first scan, {N:,} alerts raised: {raise_seconds:.2f} s")
    print(f"steady scan of {N:,} overdue customers (best of 3): {best:.3f} s")
    print(f"{sent:,} in-app deliveries sent: {deliver_seconds:.2f} s")
    if best > BUDGET_SECONDS:
        print(f"over budget: {best:.3f} s > {BUDGET_SECONDS} s", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
