"""Benchmark of the dashboard's server time (median <= 50 ms), on SQLite.

Two cases: the demo organisation, and 50 KPIs a year for 3 years, each with a daily
check-in (about 55,000 check-ins; the dashboard shows this year's 50). The time is the
whole request in-process through Django's test client: middleware, selectors, engine,
chart and template, as a user reloading the dashboard sees it (evaluations and cards are
cached until their data changes). The first load with nothing cached is printed too.
Run: ``python bench/bench_dashboard.py``; exits non-zero over budget.
"""

from __future__ import annotations

import datetime as dt
import os
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

from django.utils import timezone

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
os.environ["FOKUS_DATA_DIR"] = tempfile.mkdtemp(prefix="fokus-bench-")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fokus.settings")
os.environ.pop("DATABASE_URL", None)
os.environ.pop("REDIS_URL", None)

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402

BUDGET_MS = 50.0
RUNS = 30
KPIS_PER_YEAR = 50
YEARS = 3


def _cold_median_ms(client: Client, url: str, runs: int = 7) -> float:
    """The first load after every cached evaluation and card is gone (as after midnight,
    or a restart without Redis): every KPI is evaluated and every card rendered."""
    from django.core.cache import caches

    times = []
    for _ in range(runs):
        caches["kpis"].clear()
        start = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200
    return statistics.median(times)


def _median_ms(client: Client, url: str) -> float:
    for _ in range(3):
        assert client.get(url).status_code == 200
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200
    return statistics.median(times)


def _client_for(email: str) -> Client:
    from fokus.accounts.models import User

    settings.ALLOWED_HOSTS.append("testserver")
    client = Client()
    client.force_login(User.objects.get(email=email))
    return client


def demo_case(today: dt.date) -> float:
    from fokus.demo.services import DEMO_EMAIL, demo_load

    demo_load(today=today, now=timezone.now())
    return _median_ms(_client_for(DEMO_EMAIL), "/")


def large_case(today: dt.date) -> tuple[float, int]:
    from fokus.accounts.services import user_create
    from fokus.kpis.milestones import split_linearly
    from fokus.kpis.models import CheckIn, Kpi, Milestone

    membership = user_create(
        email="bench@example.com", password="bench", organisation_name="Bench ApS"
    )
    organisation = membership.organisation
    measures = ["sum", "sum", "last", "average"]
    checkins = []
    for year in range(today.year - YEARS + 1, today.year + 1):
        start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
        for n in range(KPIS_PER_YEAR):
            measure = measures[n % len(measures)]
            target = Decimal(365 * 10)
            if measure != "sum":
                target = Decimal(100)
            kpi = Kpi.objects.create(
                organisation=organisation,
                slug=f"kpi-{year}-{n}",
                name=f"KPI {n} ({year})",
                measure=measure,
                start=start,
                end=end,
                target=target,
                focus=n < 3,
            )
            Milestone.objects.bulk_create(
                Milestone(kpi=kpi, date=d, value=v)
                for d, v in split_linearly(start, end, Decimal(0), target)
            )
            day = start
            while day <= min(end, today):
                checkins.append(CheckIn(kpi=kpi, date=day, value=Decimal(10 + n % 7)))
                day += dt.timedelta(days=1)
    CheckIn.objects.bulk_create(checkins, batch_size=5000)
    client = _client_for("bench@example.com")
    cold = _cold_median_ms(client, "/")
    return _median_ms(client, "/"), cold, len(checkins)


def main() -> int:
    call_command("migrate", verbosity=0)
    today = dt.date.today()
    demo = demo_case(today)
    large, cold, count = large_case(today)
    print(f"demo dashboard: median {demo:.1f} ms over {RUNS} requests (budget {BUDGET_MS:.0f} ms)")
    print(
        f"{KPIS_PER_YEAR} KPIs x {YEARS} years of daily check-ins ({count} check-ins): "
        f"median {large:.1f} ms over {RUNS} requests (budget {BUDGET_MS:.0f} ms); "
        f"with nothing cached yet {cold:.1f} ms"
    )
    over = [name for name, ms in (("demo", demo), ("large", large)) if ms > BUDGET_MS]
    if over:
        print(f"over budget: {', '.join(over)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
