"""Benchmark of the check-in import: a 100,000-row Danish CSV (semicolons, decimal
commas, dd-mm-yyyy dates) must be read, checked and imported in <= 5 s on SQLite.

Run: ``python bench/bench_import.py``. It uses a throw-away data dir (a fresh SQLite
database), times reading, checking and storing the file into an empty table (best of
RUNS), then imports the same file again (nothing may change), prints the figures and
exits non-zero when over budget. The CPU time is printed beside the wall time: on a
shared machine the wall time also counts other processes.
"""

from __future__ import annotations

import os
import random
import shutil
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from django.utils import timezone

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
DATA_DIR = tempfile.mkdtemp(prefix="fokus-bench-import-")
os.environ["FOKUS_DATA_DIR"] = DATA_DIR
for name in ("DATABASE_URL", "REDIS_URL"):
    os.environ.pop(name, None)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fokus.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402

from fokus.accounts.services import organisation_create  # noqa: E402
from fokus.dataio.importing import kind_of, run_import, validate  # noqa: E402
from fokus.dataio.readers import read_table  # noqa: E402
from fokus.kpis.models import CheckIn  # noqa: E402
from fokus.kpis.services import KpiSpec, kpi_create  # noqa: E402

ROWS = 100_000
N_KPIS = 20
BUDGET_SECONDS = 5.0
RUNS = 2


def make_csv(slugs: list[str]) -> bytes:
    rng = random.Random(7)
    start = date(2027, 1, 1)
    lines = ["kpi;dato;værdi;note"]
    for i in range(ROWS):
        day = start + timedelta(days=rng.randrange(365))
        value = f"{rng.randint(0, 99_999):,}".replace(",", ".") + f",{rng.randint(0, 99):02d}"
        note = f"række {i}" if i % 10 == 0 else ""
        lines.append(f"{rng.choice(slugs)};{day:%d-%m-%Y};{value};{note}")
    return ("\r\n".join(lines) + "\r\n").encode("utf-8-sig")


def import_file(organisation, data: bytes) -> tuple[int, int, float, float]:  # type: ignore[no-untyped-def]
    kind = kind_of("checkins")
    cpu, started = time.process_time(), time.perf_counter()
    table = read_table(data)
    read = time.perf_counter()
    validation = validate(
        organisation=organisation, kind=kind, table=table, today=timezone.localdate()
    )
    checked = time.perf_counter()
    result = run_import(
        organisation=organisation, kind=kind, validation=validation, today=timezone.localdate()
    )
    done = time.perf_counter()
    assert not validation.problems
    print(
        f"  read {read - started:.2f} s, check {checked - read:.2f} s, "
        f"store {done - checked:.2f} s: {done - started:.2f} s "
        f"(CPU {time.process_time() - cpu:.2f} s)"
    )
    return result.created, result.unchanged, done - started, time.process_time() - cpu


def main() -> int:
    call_command("migrate", verbosity=0)
    organisation = organisation_create(name="Bench ApS")
    slugs = [
        kpi_create(
            organisation=organisation,
            spec=KpiSpec(
                name=f"Omsætning {i}", start=date(2027, 1, 1), end=date(2027, 12, 31), target=10**9
            ),
        ).slug
        for i in range(N_KPIS)
    ]
    data = make_csv(slugs)
    print(f"file: {ROWS:,} rows, {len(data) / 1e6:.1f} MB")
    walls, cpus = [], []
    for _run in range(RUNS):
        CheckIn.objects.all().delete()
        created, _unchanged, wall, cpu = import_file(organisation, data)
        assert created == ROWS
        walls.append(wall)
        cpus.append(cpu)
    print("the same file again:")
    created, unchanged, _wall, _cpu = import_file(organisation, data)
    assert (created, unchanged) == (0, ROWS)
    assert CheckIn.objects.count() == ROWS
    best = min(walls)
    print(
        f"best: {best:.2f} s wall, {min(cpus):.2f} s CPU for {ROWS:,} rows "
        f"({ROWS / best:,.0f} rows/s); budget {BUDGET_SECONDS} s"
    )
    return 0 if best <= BUDGET_SECONDS else 1


if __name__ == "__main__":
    try:
        sys.exit(main())
    finally:
        shutil.rmtree(DATA_DIR, ignore_errors=True)
