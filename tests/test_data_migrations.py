"""Data migrations, each run on the old state it mends."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from fokus.kpis.stamps import install_triggers


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture
def migrate(transactional_db):
    """Migrate to the given targets (returning their models); afterwards back to the
    latest state for the tests that follow."""
    yield _migrate
    _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
    install_triggers(connection)  # migrate() alone sends no post_migrate


def test_an_advisory_contact_on_a_booked_meeting_becomes_that_meeting_held(migrate):
    apps = migrate([("customers", "0002_register")])
    Organisation = apps.get_model("accounts", "Organisation")
    Customer = apps.get_model("customers", "Customer")
    Meeting = apps.get_model("customers", "AdvisoryMeeting")
    Contact = apps.get_model("customers", "Contact")
    org = Organisation.objects.create(name="Gammel ApS", slug="gammel")
    customer = Customer.objects.create(
        organisation=org,
        name="Jensens Auto",
        since=dt.date(2023, 1, 10),
        status="active",
        contact_due_on=dt.date(2023, 4, 10),
        advisory_base_on=dt.date(2023, 1, 10),
        advisory_due_on=dt.date(2024, 1, 10),
    )
    Meeting.objects.create(
        customer=customer,
        due_on=dt.date(2024, 1, 10),
        status="booked",
        booked_for=dt.date(2024, 3, 1),
    )
    Contact.objects.create(customer=customer, date=dt.date(2024, 3, 1), kind="advisory")

    apps = migrate([("customers", "0003_advisory_snoozed_until")])

    Customer = apps.get_model("customers", "Customer")
    Meeting = apps.get_model("customers", "AdvisoryMeeting")
    migrated = Customer.objects.get(pk=customer.pk)
    meetings = list(Meeting.objects.values_list("status", "held_on"))
    assert meetings == [("held", dt.date(2024, 3, 1))]
    assert (migrated.advisory_base_on, migrated.advisory_due_on) == (
        dt.date(2024, 3, 1),
        dt.date(2025, 3, 1),
    )


def test_a_target_per_interval_without_an_interval_is_dropped(migrate):
    """Such a KPI (stored before the check) would otherwise be refused at any change."""
    apps = migrate([("kpis", "0005_values_keep_ten_decimals")])
    Organisation = apps.get_model("accounts", "Organisation")
    Kpi = apps.get_model("kpis", "Kpi")
    org = Organisation.objects.create(name="Gammel ApS", slug="gammel")
    common = {"organisation": org, "start": dt.date(2027, 1, 1), "end": dt.date(2027, 12, 31)}
    stray = Kpi.objects.create(name="Salg", slug="salg", target=12, interval_target=5, **common)
    weekly = Kpi.objects.create(
        name="Møder", slug="moder", target=260, interval="week", interval_target=5, **common
    )

    apps = migrate([("kpis", "0006_no_target_per_interval_without_interval")])

    Kpi = apps.get_model("kpis", "Kpi")
    assert Kpi.objects.get(pk=stray.pk).interval_target is None
    assert Kpi.objects.get(pk=weekly.pk).interval_target == 5
