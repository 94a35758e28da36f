"""Migration customers/0003 moves existing customers to ENGINE.md's advisory rule."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from fokus.kpis.stamps import install_triggers

BEFORE = [("customers", "0002_register")]
AFTER = [("customers", "0003_advisory_snoozed_until")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_an_advisory_contact_on_a_booked_meeting_becomes_that_meeting_held():
    apps = _migrate(BEFORE)
    try:
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

        apps = _migrate(AFTER)

        Customer = apps.get_model("customers", "Customer")
        Meeting = apps.get_model("customers", "AdvisoryMeeting")
        migrated = Customer.objects.get(pk=customer.pk)
        meetings = list(Meeting.objects.values_list("status", "held_on"))
        assert meetings == [("held", dt.date(2024, 3, 1))]
        assert (migrated.advisory_base_on, migrated.advisory_due_on) == (
            dt.date(2024, 3, 1),
            dt.date(2025, 3, 1),
        )
    finally:
        _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
        install_triggers(connection)  # migrate() alone sends no post_migrate
