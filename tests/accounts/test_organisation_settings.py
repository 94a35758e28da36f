from __future__ import annotations

from decimal import Decimal

import pytest

pytestmark = pytest.mark.django_db

VALID = {
    "name": "Acme Danmark ApS",
    "currency": "eur",
    "time_zone": "Europe/London",
    "on_track_ratio": "0.9",
    "at_risk_ratio": "0.7",
    "default_contact_interval": "2",
}


def test_an_owner_changes_the_settings(alice_client, org):
    response = alice_client.post("/settings/", VALID)

    assert response.status_code == 302
    org.refresh_from_db()
    assert (org.name, org.currency, org.time_zone) == ("Acme Danmark ApS", "EUR", "Europe/London")
    assert (org.on_track_ratio, org.at_risk_ratio) == (Decimal("0.9"), Decimal("0.7"))
    assert org.default_contact_interval == 2


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("currency", "XYZ", "is not a currency code"),
        ("time_zone", "Mars/Olympus", "is not a time zone"),
        ("at_risk_ratio", "0.99", "0 &lt; at risk ≤ on track ≤ 1"),
        ("default_contact_interval", "0", "between 1 and 36 months"),
        ("name", "Acme\x00", "Null characters are not allowed"),
    ],
)
def test_bad_settings_are_refused_at_their_field_and_nothing_is_saved(
    alice_client, org, field, value, message
):
    data = {**VALID, field: value}

    response = alice_client.post("/settings/", data, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    assert message in response.content.decode()
    org.refresh_from_db()
    assert org.name == "Acme ApS"
    assert org.currency == "DKK"


@pytest.mark.parametrize("who", ["bob", "vera"])
def test_members_and_viewers_cannot_change_the_settings(client, request, org, who):
    client.force_login(request.getfixturevalue(who))

    assert client.get("/settings/").status_code == 403
    assert client.post("/settings/", VALID).status_code == 403
    org.refresh_from_db()
    assert org.name == "Acme ApS"
