"""Benchmark of the contact due scan (``customers_due_all``, the worker's one indexed query
across every organisation):

- SQLite: 100,000 customers in 100 organisations, budget 1 s;
- PostgreSQL: 1,000,000 customers in 1,000 organisations, budget 1 s, in a throw-away
  database ``helper_customers_bench`` (dropped afterwards) on the server of
  ``BENCH_POSTGRES_URL`` (default ``postgres://postgres@127.0.0.1:5432/postgres``).

The register looks like a business that keeps up with its customers: 90 % active (5 %
prospects, 5 % former), last contacts spread over the 3-month interval, one in ten
lagging up to 60 days behind, 2 % snoozed: about 4 % of the active customers are then
overdue and another 15 % due within 14 days (a steady contact rhythm always has about
14/91 of its customers in their last two weeks).

The budgeted figure is the worker's scan, ``customers_due_all(as_of=...)``: every overdue
customer of every organisation read and its state computed, one at a time as the worker
reads them (best of five). The scan that also reads the due-soon customers
(``include_due_soon=True``) is printed for information.
Data is written with ``COPY`` (PostgreSQL) or one ``executemany`` (SQLite).

Run: ``python bench/bench_due_scan.py [sqlite|postgres]`` (default both). Exits non-zero
when a scan is over budget.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

BUDGET_SECONDS = 1.0
RUNS = 5
AS_OF = dt.date(2027, 6, 30)
SIZES = {"sqlite": (100, 1_000), "postgres": (1_000, 1_000)}  # organisations x customers
BENCH_DB = "helper_customers_bench"
SERVER_URL = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres")
COLUMNS = (
    "organisation_id",
    "name",
    "cvr",
    "contact_person",
    "email",
    "phone",
    "status",
    "since",
    "contact_interval_months",
    "notes",
    "last_contact_on",
    "contact_due_on",
    "snoozed_until",
    "snooze_reason",
    "advisory_due_on",
    "created_at",
)


def _rows(org_ids: list[int], per_org: int):
    """The customer rows, with the due date computed by the product's own rule."""
    from fokus.core.contact import add_months

    rng = random.Random(2027)
    due_by_last: dict[dt.date, dt.date] = {}
    since = dt.date(2024, 1, 1)
    advisory_due = add_months(since, 12)
    created = dt.datetime(2027, 1, 1, tzinfo=dt.UTC)
    for org_id in org_ids:
        for i in range(per_org):
            roll = rng.random()
            status = "prospect" if roll < 0.05 else "former" if roll < 0.10 else "active"
            lag = rng.randint(0, 60) if rng.random() < 0.10 else 0
            last = AS_OF - dt.timedelta(days=rng.randint(0, 91) + lag)
            due = due_by_last.get(last)
            if due is None:
                due = due_by_last[last] = add_months(last, 3)
            snoozed = AS_OF + dt.timedelta(days=10) if rng.random() < 0.02 else None
            yield (
                org_id,
                f"Kunde {org_id}-{i}",
                "",
                "",
                "",
                "",
                status,
                since,
                3,
                "",
                last,
                due,
                snoozed,
                "Ferie" if snoozed else "",
                advisory_due,
                created,
            )


def _organisations(count: int) -> list[int]:
    from fokus.accounts.models import Organisation

    Organisation.objects.bulk_create(
        [Organisation(name=f"Firma {i}", slug=f"firma-{i}") for i in range(count)],
        batch_size=1000,
    )
    return list(Organisation.objects.order_by("pk").values_list("pk", flat=True))


def _load_sqlite(orgs: int, per_org: int) -> None:
    from django.db import connection, transaction

    org_ids = _organisations(orgs)
    sql = (
        f"INSERT INTO customers_customer ({', '.join(COLUMNS)}) "
        f"VALUES ({', '.join(['%s'] * len(COLUMNS))})"
    )
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.executemany(sql, list(_rows(org_ids, per_org)))
        cursor.execute("ANALYZE")


def _load_postgres(orgs: int, per_org: int) -> None:
    from django.db import connection

    org_ids = _organisations(orgs)
    with connection.cursor() as cursor:
        raw = cursor.cursor  # psycopg 3
        with raw.copy(f"COPY customers_customer ({', '.join(COLUMNS)}) FROM STDIN") as copy:
            for row in _rows(org_ids, per_org):
                copy.write_row(row)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE customers_customer")


def _scan(include_due_soon: bool) -> tuple[float, int, int]:
    from fokus.customers.selectors import customers_due_all

    best, count, overdue = float("inf"), 0, 0
    for _ in range(RUNS):
        count = overdue = 0
        start = time.perf_counter()
        # As the worker does: one customer at a time, nothing kept.
        for _, due in customers_due_all(as_of=AS_OF, include_due_soon=include_due_soon):
            count += 1
            overdue += due.state == "overdue"
        best = min(best, time.perf_counter() - start)
    return best, count, overdue


def run(backend: str) -> bool:
    """Runs in a process of its own: Django is set up for one database."""
    import django
    from django.core.management import call_command

    django.setup()
    from fokus.customers.models import Customer

    orgs, per_org = SIZES[backend]
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    (_load_sqlite if backend == "sqlite" else _load_postgres)(orgs, per_org)
    total = Customer.objects.count()
    active = Customer.objects.filter(status="active").count()
    print(
        f"{backend}: loaded {total:,} customers ({active:,} active) in {orgs:,} organisations "
        f"in {time.perf_counter() - started:.1f} s"
    )
    seconds, count, _ = _scan(include_due_soon=False)
    verdict = "ok" if seconds <= BUDGET_SECONDS else "OVER BUDGET"
    print(
        f"{backend}: due scan of {total:,} customers -> {count:,} overdue: "
        f"{seconds:.3f} s (budget {BUDGET_SECONDS:.1f} s) {verdict}"
    )
    wide, count, overdue = _scan(include_due_soon=True)
    print(
        f"{backend}: with the due-soon customers too -> {count:,} "
        f"({overdue:,} overdue, {count - overdue:,} due soon): {wide:.3f} s (for information)"
    )
    return seconds <= BUDGET_SECONDS


def _postgres_admin(sql: str) -> None:
    import psycopg

    with psycopg.connect(SERVER_URL, autocommit=True) as connection:
        connection.execute(sql)


def _child(backend: str) -> int:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env["DJANGO_SETTINGS_MODULE"] = "fokus.settings"
    with tempfile.TemporaryDirectory(prefix="fokus-bench-") as data_dir:
        env["FOKUS_DATA_DIR"] = data_dir
        if backend == "postgres":
            base = SERVER_URL.rsplit("/", 1)[0]
            env["DATABASE_URL"] = f"{base}/{BENCH_DB}"
            _postgres_admin(f'DROP DATABASE IF EXISTS "{BENCH_DB}"')
            _postgres_admin(f'CREATE DATABASE "{BENCH_DB}"')
        try:
            return subprocess.run(
                [sys.executable, __file__, "--child", backend], env=env, check=False
            ).returncode
        finally:
            if backend == "postgres":
                _postgres_admin(f'DROP DATABASE IF EXISTS "{BENCH_DB}" WITH (FORCE)')


def main(argv: list[str]) -> int:
    if argv[:1] == ["--child"]:
        return 0 if run(argv[1]) else 1
    backends = argv or ["sqlite", "postgres"]
    failures = [b for b in backends if _child(b) != 0]
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
