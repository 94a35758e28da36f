from __future__ import annotations

import datetime as dt

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture
def limit(settings):
    settings.FOKUS_API_RATE_LIMIT = (3, 60)


def test_past_the_limit_the_answer_is_429_with_retry_after(alice_api, limit, today):
    statuses = [alice_api.get("/kpis").status_code for _ in range(4)]

    response = alice_api.get("/kpis")

    assert statuses == [200, 200, 200, 429]
    assert response.status_code == 429
    assert response["Content-Type"] == "application/problem+json"
    # The window began with the first request, at the frozen instant: a full minute left.
    assert response["Retry-After"] == "60"
    assert response.json()["detail"] == "For mange forespørgsler; prøv igen om 60 sekunder."


def test_the_limit_is_per_token(alice_api, charlie_api, limit, today):
    for _ in range(3):
        alice_api.get("/kpis")

    assert alice_api.get("/kpis").status_code == 429
    assert charlie_api.get("/kpis").status_code == 200


def test_after_the_window_requests_are_answered_again(alice_api, limit, today, time_machine):
    for _ in range(4):
        alice_api.get("/kpis")

    time_machine.shift(dt.timedelta(seconds=61))

    assert alice_api.get("/kpis").status_code == 200
