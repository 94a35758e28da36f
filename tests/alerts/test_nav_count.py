"""The navigation's count of open alerts: polled every minute from a tiny endpoint (one
query for the count) and swapped in after acting on alerts in the inbox."""

from __future__ import annotations

import pytest

from fokus.alerts.models import Alert, AlertState
from fokus.alerts.services import alerts_sync
from tests.helpers import NOW, TODAY

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("today")]


@pytest.fixture
def three_alerts(org, make_customer):
    for n in range(3):
        make_customer(name=f"Kunde {n}")
    alerts_sync(organisation=org, today=TODAY, now=NOW)
    return list(Alert.objects.order_by("id"))


def test_every_page_polls_the_count_every_minute(alice_client, three_alerts):
    content = alice_client.get("/customers/").content.decode()

    assert (
        '<span id="nav-alert-count" hx-get="/alerts/count/" hx-trigger="every 60s" '
        'hx-swap="innerHTML"> <span class="count">(3)</span></span>'
    ) in content


def test_the_count_endpoint_answers_only_the_count(alice_client, three_alerts):
    Alert.objects.filter(pk=three_alerts[0].pk).update(state=AlertState.ACKNOWLEDGED)

    response = alice_client.get("/alerts/count/", HTTP_HX_REQUEST="true")

    assert response.status_code == 200
    assert response.content.decode() == ' <span class="count">(2)</span>'
    assert response["Cache-Control"] == "no-store"


def test_no_open_alert_is_no_count(alice_client, org):
    assert alice_client.get("/alerts/count/").content == b""


def test_the_count_costs_one_query_besides_the_session_and_the_membership(
    alice_client, three_alerts, django_assert_num_queries
):
    # The session, its user and the membership (every page), then the count.
    with django_assert_num_queries(4) as captured:
        alice_client.get("/alerts/count/", HTTP_HX_REQUEST="true")
    assert "COUNT(*)" in captured.captured_queries[-1]["sql"]


def test_a_page_whose_session_ended_stops_polling(client, three_alerts):
    response = client.get("/alerts/count/", HTTP_HX_REQUEST="true")

    assert response.status_code == 286 and response.content == b""


def test_without_htmx_an_anonymous_visitor_is_sent_to_log_in(client):
    response = client.get("/alerts/count/")

    assert response.status_code == 302 and "/login/" in response.url


def test_the_count_is_of_the_users_own_organisation(charlie_client, three_alerts):
    assert charlie_client.get("/alerts/count/", HTTP_HX_REQUEST="true").content == b""


def test_the_count_endpoint_takes_only_get(alice_client):
    assert alice_client.post("/alerts/count/").status_code == 405


def test_acting_in_the_inbox_swaps_in_the_new_count_out_of_band(alice_client, three_alerts):
    response = alice_client.post(f"/alerts/{three_alerts[0].pk}/ack/", HTTP_HX_REQUEST="true")

    assert response.content.decode().endswith(
        '<span id="nav-alert-count" hx-swap-oob="innerHTML">'
        ' <span class="count">(2)</span></span>\n'
    )
