"""Cached evaluations are never out of date: the database changes a KPI's data stamp with
every write to its check-ins or checklist items, whatever does the writing, and the
cache key holds the stamp, the definition, the thresholds and the day."""

from __future__ import annotations

import datetime as dt
import os
import uuid
from decimal import Decimal

import pytest
from django.core.cache import caches
from django.core.management import call_command
from django.db import connection

from fokus.kpis.models import CheckIn, ChecklistItem, KpiDataStamp
from fokus.kpis.selectors import kpi_evaluations, kpi_get
from fokus.kpis.services import checkin_record, checklist_tick, checklist_untick, kpi_update
from fokus.kpis.stamps import expected_triggers, installed_triggers

pytestmark = pytest.mark.django_db

AS_OF = dt.date(2027, 6, 30)


def _actual(kpi, as_of=AS_OF):
    kpi = kpi_get(organisation=kpi.organisation, ref=kpi.pk)  # as a page would load it
    return kpi_evaluations(organisation=kpi.organisation, kpis=[kpi], as_of=as_of)[kpi.pk].actual


def _token(kpi):
    return KpiDataStamp.objects.filter(kpi_id=kpi.pk).values_list("token", flat=True).first()


def test_every_kind_of_write_to_check_ins_changes_the_stamp(make_kpi):
    kpi = make_kpi()
    assert _token(kpi) is None  # no data written yet

    checkin, _ = checkin_record(kpi=kpi, date=dt.date(2027, 2, 1), value=Decimal(3))
    tokens = [_token(kpi)]
    CheckIn.objects.bulk_create([CheckIn(kpi=kpi, date=dt.date(2027, 2, 2), value=Decimal(1))])
    tokens.append(_token(kpi))
    CheckIn.objects.filter(pk=checkin.pk).update(value=Decimal(4))
    tokens.append(_token(kpi))
    with connection.cursor() as cursor:
        cursor.execute("UPDATE kpis_checkin SET note = 'x' WHERE id = %s", [checkin.pk])
    tokens.append(_token(kpi))
    CheckIn.objects.filter(pk=checkin.pk).delete()
    tokens.append(_token(kpi))

    assert None not in tokens
    assert len(set(tokens)) == len(tokens)


def test_a_write_stamps_only_the_kpis_it_touched(make_kpi):
    first, second = make_kpi(name="Første"), make_kpi(name="Anden")
    checkin_record(kpi=first, date=dt.date(2027, 2, 1), value=Decimal(1))
    checkin_record(kpi=second, date=dt.date(2027, 2, 1), value=Decimal(1))
    before = _token(second)

    CheckIn.objects.bulk_create(
        [CheckIn(kpi=first, date=dt.date(2027, 3, d), value=Decimal(1)) for d in range(1, 20)]
    )

    assert _token(second) == before


def test_the_cache_answers_with_the_data_as_it_is_now(make_kpi):
    kpi = make_kpi()
    assert _actual(kpi) == 0
    checkin, _ = checkin_record(kpi=kpi, date=dt.date(2027, 2, 1), value=Decimal(3))
    assert _actual(kpi) == 3
    assert _actual(kpi) == 3  # from the cache

    CheckIn.objects.filter(pk=checkin.pk).update(value=Decimal(5))  # no signal, no service
    assert _actual(kpi) == 5
    CheckIn.objects.bulk_create([CheckIn(kpi=kpi, date=dt.date(2027, 2, 2), value=Decimal(2))])
    assert _actual(kpi) == 7
    CheckIn.objects.filter(kpi=kpi).delete()
    assert _actual(kpi) == 0


def test_a_changed_definition_or_threshold_is_evaluated_afresh(make_kpi, org):
    kpi = make_kpi(target=Decimal(10))
    checkin_record(kpi=kpi, date=dt.date(2027, 6, 1), value=Decimal(3))
    status = kpi_evaluations(organisation=org, kpis=[kpi], as_of=AS_OF)[kpi.pk].status
    assert str(status) == "off_track"  # 3 of the 5 planned by 30 June

    kpi = kpi_update(kpi=kpi, user=None, target=Decimal(6))
    evaluation = kpi_evaluations(organisation=org, kpis=[kpi], as_of=AS_OF)[kpi.pk]
    assert evaluation.target == 6
    assert str(evaluation.status) == "on_track"  # 3 of the 2.98 planned

    org.on_track_ratio = Decimal("1.1")
    org.save()
    status = kpi_evaluations(organisation=org, kpis=[kpi], as_of=AS_OF)[kpi.pk].status
    assert str(status) == "at_risk"  # a pace of 1.01: under 1.1, over the 0.8 of at risk


def test_each_day_is_evaluated_for_itself(make_kpi):
    kpi = make_kpi()
    checkin_record(kpi=kpi, date=dt.date(2027, 6, 30), value=Decimal(3))

    assert _actual(kpi, dt.date(2027, 6, 29)) == 0
    assert _actual(kpi, dt.date(2027, 6, 30)) == 3


def test_ticking_and_unticking_checklist_items_is_seen_at_once(make_kpi):
    kpi = make_kpi(measure="checklist", target=None, items=["A", "B"])
    item = ChecklistItem.objects.get(kpi=kpi, name="A")
    assert _actual(kpi) == 0

    checklist_tick(kpi=kpi, item=item, date=dt.date(2027, 3, 1))
    assert _actual(kpi) == 1
    checklist_untick(item=ChecklistItem.objects.get(pk=item.pk))
    assert _actual(kpi) == 0


def test_the_triggers_are_back_after_every_migrate():
    with connection.cursor() as cursor:
        for name in sorted(expected_triggers()):
            if connection.vendor == "sqlite":
                cursor.execute(f"DROP TRIGGER {name}")
            else:
                table = name.split("_stamp_")[0]
                cursor.execute(f"DROP TRIGGER {name} ON {table}")
    assert installed_triggers(connection) == set()

    call_command("migrate", verbosity=0)

    assert installed_triggers(connection) == expected_triggers()


@pytest.mark.skipif(
    not os.environ.get("FOKUS_TEST_REDIS_URL"), reason="FOKUS_TEST_REDIS_URL is not set"
)
def test_evaluations_are_shared_through_redis_and_stay_current(make_kpi, settings):
    prefix = f"test-{uuid.uuid4().hex}"
    settings.CACHES = {
        **settings.CACHES,
        "kpis": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["FOKUS_TEST_REDIS_URL"],
            "KEY_PREFIX": prefix,
        },
    }

    store = caches["kpis"]
    assert type(store).__name__ == "RedisCache"  # entries expire; the prefix is this test's
    kpi = make_kpi()
    checkin_record(kpi=kpi, date=dt.date(2027, 2, 1), value=Decimal(3))
    assert _actual(kpi) == 3
    assert _actual(kpi) == 3  # from Redis

    CheckIn.objects.filter(kpi=kpi).update(value=Decimal(8))
    assert _actual(kpi) == 8
