"""The quick test that lets most bulk rows through must agree with the full checks."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from fokus.kpis.bulk import CheckinRow, _fine
from fokus.kpis.models import Kpi
from fokus.values import value_check

KPI = Kpi(id=1, name="Salg", start=dt.date(2027, 1, 1), end=dt.date(2027, 12, 31))

values = st.one_of(
    st.decimals(allow_nan=True, allow_infinity=True, places=None),
    st.decimals(min_value=-(10**17), max_value=10**17, places=6),
    st.integers(min_value=-(10**20), max_value=10**20).map(Decimal),
    st.sampled_from([Decimal("1.00000"), Decimal("0.0001"), Decimal("0.00001"), Decimal("-0")]),
)


@given(values)
def test_a_value_passes_the_quick_test_exactly_when_the_full_check_accepts_it(value):
    row = CheckinRow(0, KPI, dt.date(2027, 3, 1), value)

    assert _fine(row) == (value_check(value) is None)


def test_nul_bytes_long_external_ids_and_checklists_never_pass_quickly():
    fine = CheckinRow(0, KPI, dt.date(2027, 3, 1), Decimal(1))
    assert _fine(fine)
    assert _fine(fine._replace(date=dt.date(2028, 1, 1)))  # kept, but does not count
    assert not _fine(fine._replace(note="a\x00"))
    assert not _fine(fine._replace(external_id="x" * 201))
    checklist = Kpi(id=2, name="Liste", measure="checklist", start=KPI.start, end=KPI.end)
    assert not _fine(fine._replace(kpi=checklist))  # a checklist KPI takes no values
