import datetime as dt
from decimal import Decimal

import pytest

from fokus.core.errors import CoreError
from fokus.errors import NotFound, ProductError, refusal
from fokus.kpis import services
from fokus.kpis.errors import KpiError
from fokus.kpis.models import CheckIn, ChecklistItem, Kpi, KpiChange
from fokus.kpis.selectors import kpi_evaluate, kpi_get
from fokus.kpis.services import (
    KpiSpec,
    checkin_record,
    checklist_find_item,
    checklist_tick,
    kpi_create,
    kpi_update,
)

Y27 = {"start": dt.date(2027, 1, 1), "end": dt.date(2027, 12, 31)}


MILESTONE_RULE = "Hvert delmål skal ligge i perioden, før dens sidste dag (det gør {} ikke)."
DIRECTION_RULE = (
    "En KPI, der skal stige, skal have et mål over startværdien, og en, der skal falde, "
    "et mål under den."
)


@pytest.mark.parametrize(
    ("fields", "code", "message"),
    [
        (
            {"end": dt.date(2026, 12, 31)},
            "end_before_start",
            "Perioden skal slutte på eller efter sin start.",
        ),
        (
            {"target": Decimal(0)},
            "target_equals_baseline",
            "Målet skal være forskelligt fra startværdien.",
        ),
        ({"target": Decimal(5), "baseline": Decimal(8)}, "direction_mismatch", DIRECTION_RULE),
        ({"direction": "decrease"}, "direction_mismatch", DIRECTION_RULE),
        (
            {"milestones": [(dt.date(2027, 12, 31), Decimal(5))]},
            "milestone_outside_period",
            MILESTONE_RULE.format("2027-12-31"),
        ),
        (
            {"milestones": [(dt.date(2026, 12, 31), Decimal(5))]},
            "milestone_outside_period",
            MILESTONE_RULE.format("2026-12-31"),
        ),
        (
            {
                "milestones": [
                    (dt.date(2027, 3, 31), Decimal(2)),
                    (dt.date(2027, 3, 31), Decimal(3)),
                ]
            },
            "milestone_duplicate_date",
            "Der kan kun være ét delmål pr. dato (2027-03-31).",
        ),
        (
            {"interval": "month", "interval_target": Decimal(1), "measure": "last"},
            "recurring_needs_sum",
            "Et mål, der gentages hvert interval, kræver opgørelsen “sum”.",
        ),
        (
            {"interval": "month", "interval_target": Decimal(1)},
            "recurring_target_mismatch",
            "Med 1 pr. interval skal målet være 12.",
        ),
        ({"name": "  "}, "name_required", "KPI'en skal have et navn."),
        (
            {"name": "a\x00b"},
            "nul_byte",
            "Teksten indeholder et NUL-tegn, som ikke kan gemmes.",
        ),
        (
            {"measure": "median"},
            "invalid_choice",
            "“median” er ikke en gyldig measure; vælg en af sum, last, average, checklist.",
        ),
    ],
)
def test_a_kpi_breaking_a_definition_rule_is_refused_with_its_reason_and_nothing_saved(
    org, fields, code, message
):
    spec = {"name": "Nye kunder", "target": Decimal(10), **Y27, **fields}
    with pytest.raises((ProductError, CoreError)) as info:
        kpi_create(organisation=org, spec=KpiSpec(**spec))
    assert info.value.code == code
    assert refusal(info.value).message == message  # in Danish, the default language
    assert Kpi.objects.count() == 0


def test_a_recurring_target_derives_the_period_target_from_the_intervals(org):
    kpi = kpi_create(
        organisation=org,
        spec=KpiSpec(
            name="Læsere", target=None, interval="month", interval_target=Decimal(100), **Y27
        ),
    )
    assert kpi.target == 1200


def test_a_checklist_target_defaults_to_its_number_of_items(org):
    kpi = kpi_create(
        organisation=org,
        spec=KpiSpec(
            name="LinkedIn", target=None, measure="checklist", items=["A", "B", "C"], **Y27
        ),
    )
    assert kpi.target == 3
    assert list(kpi.items.values_list("name", flat=True)) == ["A", "B", "C"]


def test_slugs_are_unique_within_an_organisation(org, other_org, make_kpi):
    assert make_kpi().slug == "nye-kunder"
    assert make_kpi().slug == "nye-kunder-2"
    assert make_kpi(organisation=other_org).slug == "nye-kunder"


def test_a_checkin_outside_the_period_is_kept_but_does_not_count(make_kpi):
    """docs/engine.md counts check-ins with start <= date <= t only."""
    kpi = make_kpi()
    checkin_record(kpi=kpi, date=dt.date(2026, 12, 31), value=Decimal(5))
    checkin_record(kpi=kpi, date=dt.date(2027, 3, 1), value=Decimal(2))
    checkin_record(kpi=kpi, date=dt.date(2028, 1, 1), value=Decimal(7))

    assert CheckIn.objects.count() == 3
    assert kpi_evaluate(kpi=kpi, as_of=dt.date(2027, 6, 30)).actual == kpi.baseline + 2
    assert kpi_evaluate(kpi=kpi, as_of=dt.date(2028, 6, 30)).actual == kpi.baseline + 2
    assert kpi_evaluate(kpi=kpi, as_of=dt.date(2027, 1, 1)).status == "no_data"


def test_a_repeated_external_id_is_stored_once(make_kpi):
    kpi = make_kpi()
    first, created = checkin_record(
        kpi=kpi, date=dt.date(2027, 2, 1), value=Decimal(2), external_id="crm-1"
    )
    again, created_again = checkin_record(
        kpi=kpi, date=dt.date(2027, 2, 2), value=Decimal(5), external_id="crm-1"
    )
    assert created and not created_again
    assert again.pk == first.pk
    assert CheckIn.objects.count() == 1


def test_checkins_move_the_evaluation(make_kpi):
    kpi = make_kpi(target=Decimal(365))
    checkin_record(kpi=kpi, date=dt.date(2027, 3, 31), value=Decimal(100))
    evaluation = kpi_evaluate(
        kpi=kpi_get(organisation=kpi.organisation, ref=kpi.pk), as_of=dt.date(2027, 3, 31)
    )
    assert evaluation.actual == 100
    assert evaluation.plan == pytest.approx(90)
    assert evaluation.status == "on_track"


def test_ticking_checklist_items_counts_from_their_done_date(org):
    kpi = kpi_create(
        organisation=org,
        spec=KpiSpec(
            name="Medier", target=None, measure="checklist", items=["Børsen", "DR"], **Y27
        ),
    )
    item = checklist_find_item(kpi=kpi, ref="børsen")
    checklist_tick(kpi=kpi, item=item, date=dt.date(2027, 6, 1))
    kpi = kpi_get(organisation=org, ref=kpi.slug)
    assert kpi_evaluate(kpi=kpi, as_of=dt.date(2027, 5, 31)).actual == 0
    assert kpi_evaluate(kpi=kpi, as_of=dt.date(2027, 6, 1)).actual == 1
    with pytest.raises(KpiError) as info:
        checklist_tick(kpi=kpi, item=item, date=dt.date(2027, 6, 2))
    assert info.value.code == "item_already_done"
    with pytest.raises(KpiError):
        checkin_record(kpi=kpi, date=dt.date(2027, 6, 1), value=Decimal(1))
    assert ChecklistItem.objects.filter(done_on__isnull=False).count() == 1


def test_changing_a_target_is_recorded_with_who_and_old_and_new(make_kpi, alice):
    kpi = make_kpi()
    kpi_update(
        kpi=kpi, user=alice, target=Decimal(12), milestones=[(dt.date(2027, 6, 30), Decimal(6))]
    )
    changes = {c.field: c for c in KpiChange.objects.filter(kpi=kpi)}
    assert Decimal(changes["target"].old) == 10
    assert Decimal(changes["target"].new) == 12
    assert changes["target"].user == alice
    assert "2027-06-30:6" in changes["milestones"].new


def test_a_redefinition_breaking_a_rule_changes_nothing(make_kpi, alice):
    kpi = make_kpi()
    with pytest.raises(CoreError):
        kpi_update(kpi=kpi, user=alice, target=Decimal(0))
    kpi.refresh_from_db()
    assert kpi.target == 10
    assert not KpiChange.objects.exists()


def test_another_organisations_kpi_is_unknown(make_kpi, other_org):
    kpi = make_kpi()
    with pytest.raises(NotFound) as info:
        kpi_get(organisation=other_org, ref=kpi.pk)
    assert info.value.code == "unknown_kpi"


@pytest.mark.django_db(transaction=True)
def test_a_change_that_fails_half_way_leaves_the_kpi_as_it_was(make_kpi, alice, monkeypatch):
    """kpi_update is one transaction: its milestones are not replaced when recording the
    history fails after them (fault injected into the last write)."""
    kpi = make_kpi(milestones=[(dt.date(2027, 6, 1), Decimal(5))])

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(KpiChange.objects, "bulk_create", broken)
    with pytest.raises(RuntimeError):
        services.kpi_update(kpi=kpi, user=alice, milestones=[(dt.date(2027, 7, 1), Decimal(6))])

    assert list(kpi.milestones.values_list("date", flat=True)) == [dt.date(2027, 6, 1)]
