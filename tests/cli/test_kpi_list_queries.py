import datetime as dt
import io
import json
from decimal import Decimal

from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from fokus.kpis.services import KpiSpec, checkin_record, checklist_tick, kpi_create


def _add(org, n):
    for i in range(n):
        measure = ["sum", "last", "checklist"][i % 3]
        kpi = kpi_create(
            organisation=org,
            spec=KpiSpec(
                name=f"KPI {i}",
                start=dt.date(2027, 1, 1),
                end=dt.date(2027, 12, 31),
                target=None if measure == "checklist" else Decimal(100),
                measure=measure,
                items=["a", "b"] if measure == "checklist" else (),
                milestones=[(dt.date(2027, 6, 30), Decimal(50))] if measure == "sum" else [],
            ),
        )
        if measure == "checklist":
            checklist_tick(kpi=kpi, item=kpi.items.first(), date=dt.date(2027, 2, 1))
        else:
            for day in (1, 2, 3):
                checkin_record(kpi=kpi, date=dt.date(2027, 1, day), value=Decimal(day))


def _list_queries():
    out = io.StringIO()
    with CaptureQueriesContext(connection) as queries:
        call_command("kpi", "list", "--json", "--as-of", "2027-03-01", stdout=out)
    return len(queries), json.loads(out.getvalue())


def test_kpi_list_json_runs_a_constant_number_of_queries(org):
    _add(org, 3)
    few, listed = _list_queries()
    assert len(listed) == 3
    _add(org, 30)
    many, listed = _list_queries()
    assert len(listed) == 33
    assert many == few
    assert few <= 6
