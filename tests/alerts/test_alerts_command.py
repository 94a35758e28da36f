"""fokus alerts run [--as-of DATE] and fokus alerts list [--json]."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from fokus.alerts.models import Alert, Delivery, DeliveryState

pytestmark = pytest.mark.django_db


def fokus(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_alerts_run_scans_as_of_a_date_and_delivers(org, overdue_customer, alice, smtp_server):
    output = fokus("alerts", "run", "--as-of", "2027-06-30", "--digest")

    assert Alert.objects.count() == 1
    # The in-app row and alice's digest went out (the commands speak Danish by default).
    assert output == (
        "Oprettede 1 advarsel, løste 0; 1 oversigt; "
        "sendt 2, 0 venter på nyt forsøg, 0 mislykkedes.\n"
    )
    assert [m["To"] for m in smtp_server.messages] == ["alice@example.com"]
    assert set(Delivery.objects.values_list("state", flat=True)) == {DeliveryState.SENT}


def test_alerts_run_twice_raises_nothing_twice(org, overdue_customer):
    fokus("alerts", "run", "--as-of", "2027-06-30", "--no-deliver")
    fokus("alerts", "run", "--as-of", "2027-06-30", "--no-deliver")

    assert Alert.objects.count() == 1
    assert Delivery.objects.get().state == DeliveryState.PENDING


def test_alerts_list_json_uses_the_api_fields(org, overdue_customer):
    fokus("alerts", "run", "--as-of", "2027-06-30", "--no-deliver")

    [alert] = json.loads(fokus("alerts", "list", "--json", "--as-of", "2027-06-30"))

    assert alert["kind"] == "customer_overdue" and alert["state"] == "open"
    assert alert["customer"]["name"] == "Bageriet Østerbro"
    assert set(alert) >= {"id", "title", "episode", "raised_on", "snoozed_until"}


def test_alerts_list_shows_a_table(org, overdue_customer):
    fokus("alerts", "run", "--as-of", "2027-06-30", "--no-deliver")

    table = fokus("alerts", "list", "--as-of", "2027-06-30")
    assert "Acme ApS · 2027-06-30" in table and "Bageriet" in table


def test_alerts_list_with_an_unknown_organisation_is_one_line_error(org):
    with pytest.raises(CommandError, match="nope"):
        fokus("alerts", "list", "--org", "nope")
